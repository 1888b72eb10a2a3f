package dev.carnival.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.constant.ModuleDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLayerTest {
    private static final int ACC_MANDATED = 0x8000;

    @TempDir
    Path dir;

    /** A jar holding only a module-info.class for {@code module}, or no module-info when null. */
    private Path jar(String fileName, String module) throws IOException {
        Path jar = dir.resolve(fileName);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
            if (module != null) {
                jos.putNextEntry(new JarEntry("module-info.class"));
                jos.write(ClassFile.of().buildModule(ModuleAttribute.of(ModuleDesc.of(module),
                        b -> b.requires(ModuleDesc.of("java.base"), ACC_MANDATED, null))));
                jos.closeEntry();
            } else {
                jos.putNextEntry(new JarEntry("com/example/readme.txt"));
                jos.write("not a module".getBytes());
                jos.closeEntry();
            }
        }
        return jar;
    }

    private static PluginLayer layerOf(Path... dirs) throws PluginException {
        return PluginLayer.of(List.of(dirs), ModuleLayer.boot(), PluginLayerTest.class.getClassLoader());
    }

    private static void oneLine(PluginException e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void resolvesModularJars() throws IOException, PluginException {
        Path jar = jar("plugin.jar", "com.example.plugin");
        PluginLayer layer = layerOf(dir);
        Module m = layer.layer().findModule("com.example.plugin").orElseThrow();
        assertEquals(jar, layer.jarOf(m));
        assertNull(layer.jarOf(Object.class.getModule()), "modules of other layers have no jar");
    }

    @Test
    void emptyDirectoryGivesAnEmptyLayer() throws PluginException {
        assertTrue(layerOf(dir).layer().modules().isEmpty());
    }

    @Test
    void otherFilesAreIgnored() throws IOException, PluginException {
        Files.writeString(dir.resolve("README.txt"), "hello");
        assertTrue(layerOf(dir).layer().modules().isEmpty());
    }

    @Test
    void notADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        PluginException e = assertThrows(PluginException.class, () -> layerOf(file));
        assertEquals("plugin path '" + file + "' is not a directory", e.getMessage());
        Path missing = dir.resolve("missing");
        e = assertThrows(PluginException.class, () -> layerOf(missing));
        assertEquals("plugin path '" + missing + "' is not a directory", e.getMessage());
    }

    @Test
    void nonModularJar() throws IOException {
        Path jar = jar("plain.jar", null);
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertEquals("plugin jar '" + jar + "' is not a module (it has no module-info.class)", e.getMessage());
    }

    @Test
    void moduleCarnivalAlreadyHas() throws IOException {
        Path jar = jar("logging.jar", "java.logging");
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertEquals("plugin jar '" + jar + "' contains module java.logging, which Carnival already has",
                e.getMessage());
    }

    @Test
    void twoJarsWithOneModule() throws IOException {
        Path a = jar("a.jar", "com.example.same");
        Path b = jar("b.jar", "com.example.same");
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertEquals("plugin jars '" + a + "' and '" + b + "' both contain module com.example.same", e.getMessage());
    }

    @Test
    void corruptJar() throws IOException {
        Path jar = Files.writeString(dir.resolve("broken.jar"), "this is not a zip file");
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertTrue(e.getMessage().startsWith("plugin jar '" + jar + "' is not a valid module: "), e.getMessage());
        oneLine(e);
    }

    @Test
    void unresolvableRequires() throws IOException {
        Path jar = dir.resolve("needy.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            jos.putNextEntry(new JarEntry("module-info.class"));
            jos.write(ClassFile.of().buildModule(ModuleAttribute.of(ModuleDesc.of("com.example.needy"), b -> b
                    .requires(ModuleDesc.of("java.base"), ACC_MANDATED, null)
                    .requires(ModuleDesc.of("com.example.absent"), 0, null))));
            jos.closeEntry();
        }
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertTrue(e.getMessage().startsWith("plugin modules do not resolve: "), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.absent"), e.getMessage());
        oneLine(e);
    }

    @Test
    void discoverWithAPluginDirectoryStillFindsTheBuiltIns() throws IOException, PluginException {
        jar("plugin.jar", "com.example.plugin");
        Plugins plugins = Plugins.discover(List.of(dir));
        assertEquals(java.util.Set.of("no", "always", "on-failure"), plugins.policies().keySet());
    }

    @Test
    void discoverReportsLayerProblems() throws IOException {
        jar("plain.jar", null);
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(List.of(dir)));
        assertTrue(e.getMessage().contains("is not a module"), e.getMessage());
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused() throws IOException {
        jar("plugin.jar", "com.example.plugin");
        for (String mode : List.of("rwxrwxrwx", "rwxrwxr-x", "rwxr-xrwx")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
            assertEquals("plugin directory '" + dir + "' is writable by others than its owner (mode " + mode
                    + "): whoever can write it can run code in Carnival; remove that write permission (chmod go-w)",
                    e.getMessage());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aJarOthersCanWriteIsRefused() throws IOException, PluginException {
        Path jar = jar("plugin.jar", "com.example.plugin");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertTrue(e.getMessage().startsWith("plugin jar '" + jar + "' is writable by others than its owner (mode rw-rw-rw-)"),
                e.getMessage());
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(1, layerOf(dir).layer().modules().size());
    }

    /** Needs root to give the jar away; elsewhere there is no other owner to try. */
    @Test
    void aJarOfAnotherUserIsRefused() throws IOException {
        Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root");
        Path jar = jar("plugin.jar", "com.example.plugin");
        Files.setAttribute(jar, "unix:uid", 12345);
        PluginException e = assertThrows(PluginException.class, () -> layerOf(dir));
        assertEquals("plugin jar '" + jar + "' belongs to user 12345, who can write it: only root's or Carnival's own"
                + " user's (0) plugins are loaded", e.getMessage());
    }
}
