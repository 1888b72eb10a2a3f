package dev.carnival.runtime.plugin;

import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;

/**
 * One discovered (or handed-in) plugin.
 *
 * @param kind   "config-source", "restart-policy", "probe" or "listener"
 * @param name   its name (format, policy name, or the listener's class)
 * @param module the module that provides it ("unnamed" on the class path)
 * @param origin where it came from: "built-in", "embedder", or the plugin jar's path
 */
public record Plugin<T>(String kind, String name, T provider, String module, String origin) {

    /** A plugin providing {@code type}, whose kind and module follow from the type and the provider. */
    public static <T> Plugin<T> of(Class<T> type, String name, T provider, String origin) {
        return new Plugin<>(kindOf(type), name, provider, moduleName(provider.getClass().getModule()), origin);
    }

    static String moduleName(Module module) {
        return module.isNamed() ? module.getName() : "unnamed";
    }

    private static String kindOf(Class<?> type) {
        if (type == ConfigSource.class) {
            return "config-source";
        }
        if (type == ProbeProvider.class) {
            return "probe";
        }
        return type == RestartPolicyProvider.class ? "restart-policy" : "listener";
    }
}
