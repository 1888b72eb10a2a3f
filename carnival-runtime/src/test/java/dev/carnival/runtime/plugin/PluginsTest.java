package dev.carnival.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.plugins.restart.AlwaysRestart;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginsTest {

    private static Plugin<RestartPolicyProvider> policy(String name, RestartPolicyProvider p, String module, String origin) {
        return new Plugin<>("restart-policy", name, p, module, origin);
    }

    private static Plugin<ConfigSource> source(String format, List<String> extensions, String module, String origin) {
        ConfigSource s = new ConfigSource() {
            @Override
            public String format() {
                return format;
            }

            @Override
            public List<String> extensions() {
                return extensions;
            }

            @Override
            public ConfigNode.Table parse(String text, String o) {
                throw new UnsupportedOperationException();
            }
        };
        return new Plugin<>("config-source", format, s, module, origin);
    }

    @Test
    void discoversTheBuiltInsOnTheClassPath() throws PluginException {
        Plugins plugins = Plugins.discover(List.of());
        assertEquals(Set.of("toml"), plugins.sources().keySet());
        assertInstanceOf(TomlConfigSource.class, plugins.sources().get("toml"));
        assertEquals(Set.of("no", "always", "on-failure"), plugins.policies().keySet());
        for (Plugin<RestartPolicyProvider> p : plugins.policies().values()) {
            assertEquals("built-in", p.origin(), p.name());
            assertEquals("restart-policy", p.kind());
            assertEquals("unnamed", p.module(), "class path providers are in the unnamed module");
            assertEquals(p.name(), p.provider().name());
        }
        Plugin<?> toml = plugins.all().stream().filter(p -> p.name().equals("toml")).findFirst().orElseThrow();
        assertEquals("config-source", toml.kind());
        assertEquals("built-in", toml.origin());
        assertEquals(4 + plugins.listeners().size(), plugins.all().size());
    }

    @Test
    void duplicatePolicyNameNamesBothModules() throws PluginException {
        Plugins plugins = new Plugins();
        plugins.addPolicy(policy("always", new AlwaysRestart(), "carnival.restart", "built-in"));
        PluginException e = assertThrows(PluginException.class,
                () -> plugins.addPolicy(policy("always", new AlwaysRestart(), "com.example", "/plugins/x.jar")));
        assertEquals("restart policy 'always' is provided twice: by module carnival.restart (built-in) "
                + "and by module com.example (/plugins/x.jar)", e.getMessage());
        // The first one stays.
        assertEquals("carnival.restart", plugins.policies().get("always").module());
    }

    @Test
    void blankOrMissingNameIsAnError() {
        Plugins plugins = new Plugins();
        PluginException e = assertThrows(PluginException.class,
                () -> plugins.addPolicy(policy("  ", new AlwaysRestart(), "com.example", "x")));
        assertEquals("restart-policy dev.carnival.plugins.restart.AlwaysRestart in module com.example has a blank name",
                e.getMessage());
        assertThrows(PluginException.class, () -> plugins.addPolicy(policy(null, new AlwaysRestart(), "m", "x")));
        e = assertThrows(PluginException.class, () -> plugins.addSource(source("", List.of("x"), "m", "x")));
        assertTrue(e.getMessage().endsWith(" in module m has a blank name"), e.getMessage());
        assertTrue(plugins.policies().isEmpty());
        assertTrue(plugins.sources().isEmpty());
    }

    @Test
    void duplicateFormatIgnoringCase() throws PluginException {
        Plugins plugins = new Plugins();
        plugins.addSource(source("toml", List.of("toml"), "carnival.toml", "built-in"));
        PluginException e = assertThrows(PluginException.class,
                () -> plugins.addSource(source("TOML", List.of("tml"), "com.example", "/p/t.jar")));
        assertEquals("config format 'toml' is provided twice: by module carnival.toml (built-in) "
                + "and by module com.example (/p/t.jar)", e.getMessage());
    }

    @Test
    void duplicateExtensionBetweenTwoSources() throws PluginException {
        Plugins plugins = new Plugins();
        plugins.addSource(source("yaml", List.of("yaml", "yml"), "carnival.yaml", "built-in"));
        PluginException e = assertThrows(PluginException.class,
                () -> plugins.addSource(source("yaml2", List.of("YML"), "com.example", "/p/y.jar")));
        assertEquals("config file extension '.yml' is provided twice: by module carnival.yaml (built-in) "
                + "and by module com.example (/p/y.jar)", e.getMessage());
    }

    @Test
    void listenersKeepTheirOrder() {
        Plugins plugins = new Plugins();
        LifecycleListener a = new LifecycleListener() {};
        LifecycleListener b = new LifecycleListener() {};
        plugins.addListener(new Plugin<>("listener", "a", a, "m", "embedder"));
        plugins.addListener(new Plugin<>("listener", "b", b, "m", "embedder"));
        assertEquals(List.of(a, b), plugins.listeners().stream().map(Plugin::provider).toList());
        assertFalse(plugins.all().isEmpty());
    }
}
