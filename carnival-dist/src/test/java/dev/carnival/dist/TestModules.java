package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.restart.RestartPolicyProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Compiles a small third-party plugin module at test time, against the real carnival-api jar. */
final class TestModules {
    private TestModules() {}

    /**
     * Compiles {@code sources} (path in the module -> Java source) and packs them into
     * {@code outDir/<jarName>}.
     */
    static Path jar(Path workDir, Path outDir, String jarName, Map<String, String> sources) {
        try {
            Path src = Files.createTempDirectory(workDir, "src");
            Path classes = Files.createTempDirectory(workDir, "classes");
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", apiJar().toString()));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
            assertTrue(rc == 0, "test module did not compile");
            Files.createDirectories(outDir);
            Path jar = outDir.resolve(jarName);
            try (OutputStream out = Files.newOutputStream(jar);
                 JarOutputStream jos = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(f));
                    jos.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with a class but no module-info: what an old-style plugin would look like. */
    static Path plainJar(Path outDir, String jarName) {
        try {
            Files.createDirectories(outDir);
            Path jar = outDir.resolve(jarName);
            try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(jar))) {
                jos.putNextEntry(new JarEntry("readme.txt"));
                jos.write("not a module".getBytes());
                jos.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path apiJar() {
        try {
            return Path.of(RestartPolicyProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
