package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.DEADLINE;
import static dev.carnival.dist.ImageHarness.command;
import static dev.carnival.dist.ImageHarness.copyTree;
import static dev.carnival.dist.ImageHarness.home;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Running;
import dev.carnival.dist.ImageHarness.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Carnival's image under podman, built from local files only (no registry is reachable): a root
 * file system holding the jlink image at /opt/carnival, the glibc it links against and a static
 * busybox for sh and the test's commands, imported with carnival-dist/Dockerfile's ENTRYPOINT, ENV
 * and STOPSIGNAL and its example config. Names are unique per run; {@link #close()} removes the image.
 */
final class Podman implements AutoCloseable {
    /** Where the Dockerfile puts the image, and the command every exec runs. */
    static final String CARNIVAL = "/opt/carnival/bin/carnival";

    private final String image;
    private final List<String> runOptions;

    private Podman(String image, List<String> runOptions) {
        this.image = image;
        this.runOptions = runOptions;
    }

    /**
     * Whether podman can run here at all, and if not, why. Nothing else is checked: whatever fails
     * after this is the test's failure.
     */
    static Optional<String> unavailable(Path cwd) throws InterruptedException {
        try {
            Result info = ImageHarness.run(Spec.inherit(cwd), "podman", "info", "--format", "{{.Host.OCIRuntime.Name}}");
            return info.exit() == 0 ? Optional.empty() : Optional.of("podman info failed: " + info);
        } catch (IOException e) {
            return Optional.of("no podman: " + e.getMessage());
        }
    }

    /** Builds the root file system under {@code dir}, with {@code configs} in /etc/carnival, and imports it. */
    static Podman build(Path dir, Map<String, String> configs) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        for (String d : List.of("bin", "opt", "etc/carnival", "proc", "dev", "sys", "tmp", "run")) {
            Files.createDirectories(root.resolve(d));
        }
        copyTree(home(), root.resolve("opt/carnival"));
        Path busybox = busybox();
        Files.copy(busybox, root.resolve("bin/busybox"));
        for (String applet : run(dir, busybox.toString(), "--list").lines().toList()) {
            Path link = root.resolve("bin").resolve(applet);
            if (!applet.isBlank() && !Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        for (String library : libraries(dir, busybox)) {
            Path target = root.resolve(library.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(library), target); // follows links: the root holds the files themselves
        }

        Path dist = Path.of(System.getProperty("carnival.dist.dir", "."));
        Files.copy(dist.resolve("src/docker/carnival.toml"), root.resolve("etc/carnival/carnival.toml"));
        for (Map.Entry<String, String> config : configs.entrySet()) {
            Configs.write(root.resolve("etc/carnival"), config.getKey(), config.getValue());
        }

        Path tar = dir.resolve("rootfs.tar");
        run(dir, "tar", "--numeric-owner", "--owner=0", "--group=0", "-C", root.toString(), "-cf", tar.toString(), ".");
        String image = "localhost/" + uniqueName() + ":test";
        List<String> importCommand = new ArrayList<>(List.of("podman", "import"));
        for (String change : dockerfileChanges(dist.resolve("Dockerfile"))) {
            importCommand.add("--change");
            importCommand.add(change);
        }
        importCommand.add(tar.toString());
        importCommand.add(image);
        run(dir, importCommand.toArray(String[]::new));
        Files.delete(tar);
        return new Podman(image, runOptions());
    }

    /** What the image takes from the Dockerfile: its entrypoint, environment and stop signal. */
    private static List<String> dockerfileChanges(Path dockerfile) throws IOException {
        List<String> changes = Files.readAllLines(dockerfile).stream()
                .filter(l -> l.startsWith("ENTRYPOINT ") || l.startsWith("ENV ") || l.startsWith("STOPSIGNAL "))
                .toList();
        assertEquals(3, changes.size(), () -> "expected ENTRYPOINT, ENV and STOPSIGNAL in " + dockerfile + ": " + changes);
        return changes;
    }

    /** Debian's busybox-static installs /bin/busybox; elsewhere it may be in /usr/bin. */
    private static Path busybox() throws IOException {
        for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox", "/usr/sbin/busybox")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate).toRealPath();
            }
        }
        throw new AssertionError("no busybox (Debian: apt-get install busybox-static)");
    }

    /** The shared libraries java, the image's libraries and busybox load: exactly what ldd names. */
    private static TreeSet<String> libraries(Path dir, Path busybox) throws IOException, InterruptedException {
        List<String> binaries = new ArrayList<>(List.of(home().resolve("bin/java").toString(), busybox.toString()));
        try (Stream<Path> files = Files.walk(home().resolve("lib"))) {
            files.filter(p -> p.toString().endsWith(".so")).forEach(p -> binaries.add(p.toString()));
        }
        TreeSet<String> libraries = new TreeSet<>();
        for (String binary : binaries) {
            // ldd exits 1 for a static binary ("not a dynamic executable"): nothing to copy then.
            Result ldd = ImageHarness.run(Spec.inherit(dir), "ldd", binary);
            for (String token : ldd.out().split("\\s+")) {
                if (token.startsWith("/") && !token.startsWith(home().toString()) && Files.exists(Path.of(token))) {
                    libraries.add(token);
                }
            }
        }
        return libraries;
    }

    /**
     * Options every container gets. runc, where installed: crun refuses hybrid cgroup (v1) hosts.
     * Explicit ulimits at or below ours: podman's defaults raise RLIMIT_NOFILE and RLIMIT_NPROC
     * beyond what a runtime without CAP_SYS_RESOURCE may set, and the container then fails to start.
     */
    private static List<String> runOptions() throws IOException {
        List<String> options = new ArrayList<>();
        if (Stream.of("/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc")
                .anyMatch(p -> Files.isExecutable(Path.of(p)))) {
            options.addAll(List.of("--runtime", "runc"));
        }
        long files = Math.min(1024, hardLimit("Max open files"));
        long processes = Math.min(4096, hardLimit("Max processes"));
        options.addAll(List.of("--ulimit", "nofile=" + files + ":" + files, "--ulimit", "nproc=" + processes + ":" + processes));
        return options;
    }

    /** A hard limit from /proc/self/limits; "unlimited" as the largest long. */
    private static long hardLimit(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith(name)) {
                String hard = line.substring(name.length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        throw new AssertionError("no " + name + " in /proc/self/limits");
    }

    static String uniqueName() {
        return "carnival-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Runs a container attached: its stdout and stderr go to the Running's files, its exit code is podman run's. */
    Container start(Path cwd, String config) throws IOException {
        String name = uniqueName();
        List<String> command = command("podman", "run", "--name", name, runOptions,
                // podman's own SIGKILL comes only this long after its SIGTERM: far beyond any wait here.
                "--stop-timeout", "120",
                "--env", "CARNIVAL_CONFIG_TOML=/etc/carnival/" + config, image);
        return new Container(name, cwd, ImageHarness.start(Spec.inherit(cwd), command));
    }

    /** Removes the image (and any container of it a failed test left). */
    @Override
    public void close() throws IOException, InterruptedException {
        ImageHarness.run(Spec.inherit(Path.of(System.getProperty("java.io.tmpdir"))), "podman", "rmi", "--force", image);
    }

    /** Runs a host command that must succeed; its stdout. */
    private static String run(Path cwd, String... command) throws IOException, InterruptedException {
        Result result = ImageHarness.run(Spec.inherit(cwd), command);
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result);
        return result.out();
    }

    /** One process in a container, as podman top shows it. */
    record Proc(long pid, long ppid, long hostPid, String state, String args) {}

    /** A running container; close() removes it, running or not. */
    static final class Container implements AutoCloseable {
        final String name;
        final Running podmanRun;
        private final Path cwd;

        private Container(String name, Path cwd, Running podmanRun) {
            this.name = name;
            this.cwd = cwd;
            this.podmanRun = podmanRun;
        }

        /** podman with these arguments, waited for with the deadline. */
        Result podman(String... args) throws IOException, InterruptedException {
            return ImageHarness.run(Spec.inherit(cwd), command("podman", List.of(args)));
        }

        Result exec(String... command) throws IOException, InterruptedException {
            return podman(command("exec", name, List.of(command)).toArray(String[]::new));
        }

        /** The container's stdout and stderr so far. */
        String log() {
            return podmanRun.out() + podmanRun.err();
        }

        /**
         * Every process in the container, from outside (podman top reads /proc itself, so nothing
         * runs in the container to list it); empty while podman cannot list them (not started yet).
         */
        Optional<List<Proc>> processes() throws IOException, InterruptedException {
            Result top = podman("top", name, "pid", "ppid", "hpid", "state", "args");
            if (top.exit() != 0) {
                return Optional.empty();
            }
            List<String[]> rows = top.out().lines().skip(1).filter(l -> !l.isBlank())
                    .map(l -> l.trim().split("\\s+", 5)).toList();
            // podman top prints "?" for a process that ended while it read /proc: ask again later.
            if (rows.stream().anyMatch(f -> f.length < 4 || !numeric(f[0]) || !numeric(f[1]) || !numeric(f[2]))) {
                return Optional.empty();
            }
            return Optional.of(rows.stream().map(f -> new Proc(Long.parseLong(f[0]), Long.parseLong(f[1]),
                    Long.parseLong(f[2]), f[3], f.length > 4 ? f[4].strip() : "")).toList());
        }

        private static boolean numeric(String field) {
            return !field.isEmpty() && field.chars().allMatch(Character::isDigit);
        }

        /** The exit code podman recorded for the container. */
        int exitCode() throws IOException, InterruptedException {
            Result inspect = podman("inspect", "--format", "{{.State.ExitCode}}", name);
            assertEquals(0, inspect.exit(), inspect::toString);
            return Integer.parseInt(inspect.out().strip());
        }

        /** podman run's end: the container's exit code and everything it wrote. */
        Result await() throws InterruptedException {
            return podmanRun.await(DEADLINE);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                podman("rm", "--force", "--time", "0", name);
            } finally {
                podmanRun.close();
            }
        }
    }
}
