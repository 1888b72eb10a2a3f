package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts one process with posix_spawnp(3): a new session (so its pid is its process group id),
 * every signal at its default disposition and none blocked (a JVM thread's mask and ignored
 * signals must not leak into services), stdin from /dev/null, stdout and stderr shared with us,
 * no other fd.
 *
 * <p>{@code argv[0]} without a slash is looked up on the supervisor's own PATH (glibc behaviour,
 * and what the JDK does too), not on the PATH of the child's environment. A relative
 * {@code argv[0]} with a slash is resolved in the child's working directory.
 *
 * <p>Portable fallbacks, for a glibc older than the {@code _np} functions: without
 * {@code addchdir_np} (glibc &lt; 2.29) the child is started as
 * {@code /bin/sh -c 'cd -- "$0" && exec "$@"' DIR ARGV...}, after checking the directory here
 * (a command that then cannot be executed shows as sh's exit code 126/127, not a SpawnException);
 * without {@code addclosefrom_np} (glibc &lt; 2.34) each fd open in this process at spawn time is
 * closed by an explicit close action.
 */
final class PosixSpawner {
    private static final long GLIBC_INTERNAL_SIGNALS = (1L << 31) | (1L << 32);
    static final String CHDIR_SCRIPT = "cd -- \"$0\" && exec \"$@\"";

    private final boolean useAddChdir;
    private final boolean useCloseFrom;

    PosixSpawner() {
        this(LibC.hasAddChdir(), LibC.hasAddCloseFrom());
    }

    /** Lets tests exercise the portable fallbacks on a modern glibc. */
    PosixSpawner(boolean useAddChdir, boolean useCloseFrom) {
        this.useAddChdir = useAddChdir && LibC.hasAddChdir();
        this.useCloseFrom = useCloseFrom && LibC.hasAddCloseFrom();
    }

    /** Starts the process and returns its pid. */
    int spawn(SpawnRequest request) throws SpawnException {
        List<String> argv = request.argv();
        Path dir = request.workingDir();
        if (dir != null && !useAddChdir) {
            checkDirectory(dir);
            argv = shellChdir(dir, argv);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(LibC.OPAQUE_ALLOC_BYTES, 16);
            MemorySegment actions = arena.allocate(LibC.OPAQUE_ALLOC_BYTES, 16);
            check(LibC.spawnattrInit(attr), "posix_spawnattr_init", request);
            try {
                check(LibC.fileActionsInit(actions), "posix_spawn_file_actions_init", request);
                try {
                    configure(arena, attr, actions, dir, request);
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int err = LibC.posixSpawnp(pid, arena.allocateFrom(argv.getFirst()), actions, attr,
                            cStrings(arena, argv), cStrings(arena, environ(request.environment())));
                    if (err != 0) {
                        throw failure(err, request);
                    }
                    return pid.get(JAVA_INT, 0);
                } finally {
                    LibC.fileActionsDestroy(actions);
                }
            } finally {
                LibC.spawnattrDestroy(attr);
            }
        }
    }

    private void configure(Arena arena, MemorySegment attr, MemorySegment actions, Path dir,
                           SpawnRequest request) throws SpawnException {
        MemorySegment all = arena.allocate(LibC.SIGSET_BYTES, 8);
        MemorySegment none = arena.allocate(LibC.SIGSET_BYTES, 8);
        LibC.sigfillset(all);
        // glibc's sigfillset leaves out its internal signals 32 and 33, and its posix_spawn then
        // sets them to SIG_IGN in the child, which survives exec (measured: SigIgn 0x180000000).
        // A non-glibc program would inherit them ignored, so put them in the set by hand:
        // sigset_t is an array of unsigned long, bit n-1 for signal n.
        all.set(JAVA_LONG, 0, all.get(JAVA_LONG, 0) | GLIBC_INTERNAL_SIGNALS);
        LibC.sigemptyset(none);
        check(LibC.spawnattrSetsigdefault(attr, all), "posix_spawnattr_setsigdefault", request);
        check(LibC.spawnattrSetsigmask(attr, none), "posix_spawnattr_setsigmask", request);
        check(LibC.spawnattrSetflags(attr, (short) (LibC.POSIX_SPAWN_SETSID
                | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)), "posix_spawnattr_setflags", request);

        check(LibC.fileActionsAddopen(actions, 0, arena.allocateFrom("/dev/null"), LibC.O_RDONLY, 0),
                "posix_spawn_file_actions_addopen", request);
        if (dir != null && useAddChdir) {
            check(LibC.fileActionsAddchdir(actions, arena.allocateFrom(dir.toString())),
                    "posix_spawn_file_actions_addchdir_np", request);
        }
        if (useCloseFrom) {
            check(LibC.fileActionsAddclosefrom(actions, 3), "posix_spawn_file_actions_addclosefrom_np", request);
        } else {
            for (int fd : openFdsFrom3()) {
                check(LibC.fileActionsAddclose(actions, fd), "posix_spawn_file_actions_addclose", request);
            }
        }
    }

    private static List<String> shellChdir(Path dir, List<String> argv) {
        List<String> wrapped = new ArrayList<>(argv.size() + 4);
        wrapped.add("/bin/sh");
        wrapped.add("-c");
        wrapped.add(CHDIR_SCRIPT);
        wrapped.add(dir.toString());
        wrapped.addAll(argv);
        return wrapped;
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment cStrings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static List<String> environ(Map<String, String> env) {
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((k, v) -> entries.add(k + "=" + v));
        return entries;
    }

    private static List<Integer> openFdsFrom3() {
        // Racy against fds opened concurrently, but the JDK opens its own fds close-on-exec.
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> Integer.parseInt(p.getFileName().toString())).filter(fd -> fd >= 3).toList();
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    private static void checkDirectory(Path dir) throws SpawnException {
        if (!Files.isDirectory(dir)) {
            throw new SpawnException("working directory " + dir + ": "
                    + Errno.describe(Files.exists(dir) ? Errno.ENOTDIR : Errno.ENOENT));
        }
    }

    /**
     * One line for a failed spawn. A chdir failure comes back as the same error number as an
     * exec failure, so the directory is examined here to tell the two apart.
     */
    private static SpawnException failure(int err, SpawnRequest request) {
        String command = request.argv().getFirst();
        Path dir = request.workingDir();
        if (dir != null && (err == Errno.ENOENT || err == Errno.ENOTDIR || err == Errno.EACCES)) {
            if (!Files.exists(dir)) {
                return new SpawnException("working directory " + dir + ": " + Errno.describe(Errno.ENOENT));
            }
            if (!Files.isDirectory(dir)) {
                return new SpawnException("working directory " + dir + ": " + Errno.describe(Errno.ENOTDIR));
            }
            if (!Files.isExecutable(dir)) {
                return new SpawnException("working directory " + dir + ": " + Errno.describe(Errno.EACCES));
            }
        }
        if (err == Errno.ENOENT && command.indexOf('/') < 0) {
            return new SpawnException(command + ": command not found");
        }
        return new SpawnException(command + ": " + Errno.describe(err));
    }

    private static void check(int err, String call, SpawnRequest request) throws SpawnException {
        if (err != 0) {
            throw new SpawnException(request.argv().getFirst() + ": " + call + ": " + Errno.describe(err));
        }
    }
}
