package dev.carnival.runtime.plugin;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modular jars of the plugin directories, resolved into one {@link ModuleLayer} on top of
 * Carnival's own, so plugins see carnival.api exactly as built-ins do.
 */
public final class PluginLayer {
    private final ModuleLayer layer;
    private final Map<String, Path> jarsByModule;

    private PluginLayer(ModuleLayer layer, Map<String, Path> jarsByModule) {
        this.layer = layer;
        this.jarsByModule = Map.copyOf(jarsByModule);
    }

    /** The layer holding the plugin modules. */
    public ModuleLayer layer() {
        return layer;
    }

    /** The jar a plugin module came from, if it came from this layer. */
    public Path jarOf(Module module) {
        return module.getLayer() == layer ? jarsByModule.get(module.getName()) : null;
    }

    /** Resolves every {@code *.jar} in {@code dirs}. */
    public static PluginLayer of(List<Path> dirs, ModuleLayer parent, ClassLoader parentLoader) throws PluginException {
        List<Path> jars = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new PluginException("plugin path '" + dir + "' is not a directory");
            }
            requireTrusted(dir, "plugin directory");
            List<Path> found = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(found::add);
            } catch (IOException e) {
                throw new PluginException("cannot list plugin directory '" + dir + "': " + e.getMessage());
            }
            for (Path jar : found) {
                requireTrusted(jar, "plugin jar");
            }
            jars.addAll(found);
        }
        Map<String, Path> jarsByModule = new HashMap<>();
        for (Path jar : jars) {
            String name = moduleOf(jar, parent);
            Path other = jarsByModule.putIfAbsent(name, jar);
            if (other != null) {
                throw new PluginException("plugin jars '" + other + "' and '" + jar + "' both contain module " + name);
            }
        }
        Configuration cf;
        try {
            cf = parent.configuration().resolveAndBind(
                    ModuleFinder.of(jars.toArray(Path[]::new)), ModuleFinder.of(), jarsByModule.keySet());
        } catch (FindException | ResolutionException e) {
            throw new PluginException("plugin modules do not resolve: " + oneLine(e));
        }
        ModuleLayer layer;
        try {
            layer = ModuleLayer.defineModulesWithOneLoader(cf, List.of(parent), parentLoader).layer();
        } catch (java.lang.LayerInstantiationException | SecurityException e) {
            throw new PluginException("plugin modules cannot be loaded: " + oneLine(e));
        }
        return new PluginLayer(layer, jarsByModule);
    }

    /**
     * Refuses a plugin directory or jar that anyone but its owner, or an owner other than root or
     * us, can write, as sshd's StrictModes does: its code would run in Carnival, often PID 1 and
     * root. A link is judged by what it points to.
     */
    static void requireTrusted(Path path, String what) throws PluginException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new PluginException(what + " '" + path + "' is writable by others than its owner (mode "
                        + PosixFilePermissions.toString(mode) + "): whoever can write it can run code in Carnival;"
                        + " remove that write permission (chmod go-w)");
            }
            int owner = (Integer) Files.getAttribute(path, "unix:uid");
            int us = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (owner != 0 && owner != us) {
                throw new PluginException(what + " '" + path + "' belongs to user " + owner + ", who can write it: only"
                        + " root's or Carnival's own user's (" + us + ") plugins are loaded");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // A file system without POSIX permissions or owners: nothing to judge by.
        } catch (IOException e) {
            throw new PluginException("cannot read the permissions of " + what + " '" + path + "': " + e.getMessage());
        }
    }

    private static String moduleOf(Path jar, ModuleLayer parent) throws PluginException {
        Set<ModuleReference> found;
        try {
            found = ModuleFinder.of(jar).findAll();
        } catch (FindException e) {
            throw new PluginException("plugin jar '" + jar + "' is not a valid module: " + oneLine(e));
        }
        if (found.size() != 1) {
            throw new PluginException("plugin jar '" + jar + "' is not a module");
        }
        ModuleReference ref = found.iterator().next();
        String name = ref.descriptor().name();
        if (ref.descriptor().isAutomatic()) {
            throw new PluginException("plugin jar '" + jar + "' is not a module (it has no module-info.class)");
        }
        if (parent.findModule(name).isPresent()) {
            throw new PluginException("plugin jar '" + jar + "' contains module " + name + ", which Carnival already has");
        }
        return name;
    }

    private static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
