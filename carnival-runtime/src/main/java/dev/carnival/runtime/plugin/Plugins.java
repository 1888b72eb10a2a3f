package dev.carnival.runtime.plugin;

import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every plugin Carnival will use: config sources by format, restart policies and probes by name,
 * and listeners. Found with {@link ServiceLoader} in Carnival's own layer (and class path) and in an
 * optional {@link PluginLayer}; or handed in directly by an embedder or a test. Names are unique:
 * a plugin cannot silently take over a built-in's name.
 */
public final class Plugins {
    private final Map<String, Plugin<ConfigSource>> sources = new LinkedHashMap<>();
    private final Map<String, Plugin<ConfigSource>> sourcesByExtension = new LinkedHashMap<>();
    private final Map<String, Plugin<RestartPolicyProvider>> policies = new LinkedHashMap<>();
    private final Map<String, Plugin<ProbeProvider>> probes = new LinkedHashMap<>();
    private final List<Plugin<LifecycleListener>> listeners = new ArrayList<>();

    /** An empty set, to fill with {@code add} methods. */
    public Plugins() {}

    /**
     * Finds every plugin visible to Carnival plus those in {@code pluginDirs}.
     *
     * @throws PluginException for the first plugin that fails to load or clashes with another
     */
    public static Plugins discover(List<Path> pluginDirs) throws PluginException {
        ClassLoader loader = Plugins.class.getClassLoader();
        ModuleLayer own = Plugins.class.getModule().getLayer();
        PluginLayer extra = pluginDirs.isEmpty()
                ? null
                : PluginLayer.of(pluginDirs, own == null ? ModuleLayer.boot() : own, loader);
        Plugins plugins = new Plugins();
        plugins.load(ConfigSource.class, loader, extra, ConfigSource::format, plugins::addSource);
        plugins.load(RestartPolicyProvider.class, loader, extra, RestartPolicyProvider::name, plugins::addPolicy);
        plugins.load(ProbeProvider.class, loader, extra, ProbeProvider::name, plugins::addProbe);
        plugins.load(LifecycleListener.class, loader, extra, l -> l.getClass().getSimpleName(), plugins::addListener);
        return plugins;
    }

    @FunctionalInterface
    private interface Adder<S> {
        void add(Plugin<S> plugin) throws PluginException;
    }

    private <S> void load(Class<S> type, ClassLoader loader, PluginLayer extra, Function<S, String> naming,
                          Adder<S> adder) throws PluginException {
        collect(type, builtIn(type, loader), null, naming, adder);
        if (extra != null) {
            collect(type, ServiceLoader.load(extra.layer(), type), extra, naming, adder);
        }
    }

    /**
     * The built-in providers: the boot layer's when this runtime is in it and there is no class
     * path, else the class loader's. Both find the same there, but the class-loader form also
     * looks for class-path providers by asking every module of the image for a META-INF/services
     * file: 3-4 ms of every start for the four types.
     */
    private static <S> ServiceLoader<S> builtIn(Class<S> type, ClassLoader loader) {
        boolean bootLayerOnly = Plugins.class.getModule().getLayer() == ModuleLayer.boot()
                && System.getProperty("java.class.path", "").isEmpty();
        return bootLayerOnly ? ServiceLoader.load(ModuleLayer.boot(), type) : ServiceLoader.load(type, loader);
    }

    private static <S> void collect(Class<S> type, ServiceLoader<S> loader, PluginLayer extra,
                                    Function<S, String> naming, Adder<S> adder) throws PluginException {
        Iterator<ServiceLoader.Provider<S>> it = loader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<S> p;
            try {
                if (!it.hasNext()) {
                    return;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                throw new PluginException("cannot load a " + type.getSimpleName() + " plugin: " + oneLine(e));
            }
            Module module = p.type().getModule();
            // A layer's ServiceLoader also returns its parents' providers: those were collected already.
            if (extra != null && module.getLayer() != extra.layer()) {
                continue;
            }
            String moduleName = Plugin.moduleName(module);
            S provider;
            String name;
            try {
                provider = p.get();
                name = naming.apply(provider);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                throw new PluginException("plugin " + p.type().getName() + " in module " + moduleName
                        + " failed to load: " + oneLine(e.getCause() != null ? e.getCause() : e));
            }
            String origin = extra == null ? "built-in" : String.valueOf(extra.jarOf(module));
            adder.add(Plugin.of(type, name, provider, origin));
        }
    }

    /** Adds a config source; its format and extensions must be new. */
    public void addSource(Plugin<ConfigSource> plugin) throws PluginException {
        String format = checkName(plugin).toLowerCase(Locale.ROOT);
        Plugin<ConfigSource> before = sources.putIfAbsent(format, plugin);
        if (before != null) {
            throw clash("config format", format, before, plugin);
        }
        for (String ext : plugin.provider().extensions()) {
            String e = ext.toLowerCase(Locale.ROOT);
            before = sourcesByExtension.putIfAbsent(e, plugin);
            if (before != null) {
                throw clash("config file extension", "." + e, before, plugin);
            }
        }
    }

    /** Adds a restart policy; its name must be new. */
    public void addPolicy(Plugin<RestartPolicyProvider> plugin) throws PluginException {
        addNamed(policies, "restart policy", plugin);
    }

    /** Adds a probe provider; its name must be new. */
    public void addProbe(Plugin<ProbeProvider> plugin) throws PluginException {
        addNamed(probes, "probe", plugin);
    }

    private static <T> void addNamed(Map<String, Plugin<T>> byName, String what, Plugin<T> plugin)
            throws PluginException {
        Plugin<T> before = byName.putIfAbsent(checkName(plugin), plugin);
        if (before != null) {
            throw clash(what, plugin.name(), before, plugin);
        }
    }

    /** Adds a listener. */
    public void addListener(Plugin<LifecycleListener> plugin) {
        listeners.add(plugin);
    }

    private static String checkName(Plugin<?> plugin) throws PluginException {
        if (plugin.name() == null || plugin.name().isBlank()) {
            throw new PluginException(plugin.kind() + " " + plugin.provider().getClass().getName() + " in module "
                    + plugin.module() + " has a blank name");
        }
        return plugin.name();
    }

    private static PluginException clash(String what, String name, Plugin<?> first, Plugin<?> second) {
        return new PluginException(what + " '" + name + "' is provided twice: by module " + first.module()
                + " (" + first.origin() + ") and by module " + second.module() + " (" + second.origin() + ")");
    }

    /** Config sources by format name. */
    public Map<String, ConfigSource> sources() {
        Map<String, ConfigSource> m = new LinkedHashMap<>();
        sources.forEach((k, v) -> m.put(k, v.provider()));
        return m;
    }

    /** Restart policies by name. */
    public Map<String, Plugin<RestartPolicyProvider>> policies() {
        return Map.copyOf(policies);
    }

    /** Probe providers by name. */
    public Map<String, Plugin<ProbeProvider>> probes() {
        return Map.copyOf(probes);
    }

    /** Listeners, in discovery order. */
    public List<Plugin<LifecycleListener>> listeners() {
        return List.copyOf(listeners);
    }

    /** Every plugin, for {@code carnival plugins}. */
    public List<Plugin<?>> all() {
        List<Plugin<?>> all = new ArrayList<>(sources.values());
        all.addAll(policies.values());
        all.addAll(probes.values());
        all.addAll(listeners);
        return all;
    }

    private static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
