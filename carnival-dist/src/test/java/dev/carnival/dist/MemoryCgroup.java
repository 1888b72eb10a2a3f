package dev.carnival.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A memory cgroup of its own under this test JVM's, with a hard limit: cgroup v1's {@code memory}
 * controller ({@code memory.limit_in_bytes}) or v2's {@code memory.max}, whichever this machine
 * lets us write. Swap is kept out where the controller can, so the limit is the resident limit.
 */
final class MemoryCgroup implements AutoCloseable {
    private final Path dir;
    private final boolean v2;

    private MemoryCgroup(Path dir, boolean v2) {
        this.dir = dir;
        this.v2 = v2;
    }

    /** A new cgroup limited to {@code bytes}, or why there can be none here. */
    static Result create(long bytes) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
        StringBuilder why = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                Optional<MemoryCgroup> g = make(Path.of("/sys/fs/cgroup/memory" + f[2]), false, bytes, why);
                if (g.isPresent()) {
                    return new Result(g.get(), null);
                }
            }
        }
        for (String line : lines) {
            if (line.startsWith("0::")) {
                for (String mount : List.of("/sys/fs/cgroup", "/sys/fs/cgroup/unified")) {
                    Path parent = Path.of(mount + line.substring(3));
                    Path controllers = parent.resolve("cgroup.subtree_control");
                    if (Files.isReadable(controllers) && !Files.readString(controllers).contains("memory")) {
                        why.append("cgroup v2 ").append(parent).append(": memory not in cgroup.subtree_control; ");
                        continue;
                    }
                    Optional<MemoryCgroup> g = make(parent, true, bytes, why);
                    if (g.isPresent()) {
                        return new Result(g.get(), null);
                    }
                }
            }
        }
        return new Result(null, why.isEmpty() ? "no memory cgroup in /proc/self/cgroup" : why.toString());
    }

    /** A cgroup, or the reason there is none. */
    record Result(MemoryCgroup cgroup, String whyNot) {}

    private static Optional<MemoryCgroup> make(Path parent, boolean v2, long bytes, StringBuilder why) {
        Path dir = parent.resolve("carnival-it-" + UUID.randomUUID());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            why.append(v2 ? "cgroup v2 " : "cgroup v1 ").append(parent).append(": ").append(e).append("; ");
            return Optional.empty();
        }
        MemoryCgroup g = new MemoryCgroup(dir, v2);
        try {
            if (v2) {
                Files.writeString(dir.resolve("memory.max"), Long.toString(bytes));
                g.writeIfPresent("memory.swap.max", "0");
            } else {
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
                g.writeIfPresent("memory.memsw.limit_in_bytes", Long.toString(bytes));
            }
            return Optional.of(g);
        } catch (IOException e) {
            why.append(dir).append(": cannot set the limit: ").append(e).append("; ");
            g.close();
            return Optional.empty();
        }
    }

    private void writeIfPresent(String file, String value) throws IOException {
        if (Files.exists(dir.resolve(file))) {
            Files.writeString(dir.resolve(file), value);
        }
    }

    /** A wrapper that moves itself into this cgroup, then execs the command after it. */
    List<String> wrapper() {
        return List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", dir.resolve("cgroup.procs").toString());
    }

    /** Which controller and file hold the limit, for messages. */
    String describe() {
        return dir + (v2 ? " (cgroup v2 memory.max)" : " (cgroup v1 memory.limit_in_bytes)");
    }

    /** Removes the cgroup once its processes are gone (the caller has stopped them). */
    @Override
    public void close() {
        // EBUSY while the last exited process is still being torn down.
        Await.until("cgroup " + dir + " removed", () -> {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
