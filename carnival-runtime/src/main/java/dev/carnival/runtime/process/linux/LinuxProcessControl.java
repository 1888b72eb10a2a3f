package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Leftovers;
import dev.carnival.runtime.process.NativeUnavailableException;
import dev.carnival.runtime.process.OomScore;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.Reaping;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Process control on Linux through glibc, via java.lang.foreign: posix_spawnp into a new session,
 * kill(2) on the process group, one thread for all exits and, as PID 1 or child subreaper,
 * orphan reaping that never consumes a managed child's status (see {@link OrphanReaper}).
 */
public final class LinuxProcessControl implements ProcessControl {
    private final PosixSpawner spawner;
    private final Reaper reaper;
    private final OutputPump output = new OutputPump();
    private final OomScore oom;
    private final String description;

    private LinuxProcessControl(PosixSpawner spawner, Reaper reaper, OomScore oom, String description) {
        this.spawner = spawner;
        this.reaper = reaper;
        this.oom = oom;
        this.description = description + ", " + oom.describe();
    }

    /**
     * Binds libc and makes a first call: the slow part of {@link #open} (the JDK builds its
     * downcall stub then), without touching a logger, so that it can run while the logging
     * backend starts. Never throws: whatever fails here fails again in {@link #open}, which says why.
     */
    public static void prepare() {
        try {
            checkPlatform();
            if (LinuxProcessControl.class.getModule().isNativeAccessEnabled()) {
                LibC.ensureLoaded();
                LibC.close(-1); // EBADF: the first downcall, and the first errno read
            }
        } catch (RuntimeException | LinkageError e) {
            // left for open()
        }
    }

    /**
     * Opens native process control.
     *
     * @param reaping {@link Reaping#ORPHANS}: also reap re-parented descendants; becomes child
     *                subreaper unless PID 1; and the supervisor becomes the OOM killer's last choice
     *                ({@link OomScore#lowered()}) and raises its own open-file limit while its
     *                children keep the one it was started with ({@link NofileLimit}), where an
     *                embedded one leaves its host's values alone
     * @throws NativeUnavailableException when this is not Linux on x86_64 or aarch64, native
     *                                    access is not enabled for this module, or libc lacks a
     *                                    required function
     */
    public static LinuxProcessControl open(Reaping reaping) {
        return open(reaping, PosixSpawner::new);
    }

    // Package-private seam so tests can force the portable spawn fallbacks.
    static LinuxProcessControl open(Reaping reaping, Supplier<PosixSpawner> spawners) {
        checkPlatform();
        Module module = LinuxProcessControl.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            // Checked before touching LibC, so that the JDK prints no restricted-method warning.
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new NativeUnavailableException("native access is not enabled (run java with --enable-native-access=" + name + ")");
        }
        try {
            LibC.ensureLoaded();
            String role = "";
            if (reaping == Reaping.ORPHANS) {
                role = ProcessHandle.current().pid() == 1 ? ", reaping orphans as PID 1" : subreaper();
            }
            PosixSpawner spawner = spawners.get();
            NofileLimit nofile = reaping == Reaping.ORPHANS ? NofileLimit.raised() : NofileLimit.INHERITED;
            spawner.restoreNofile(nofile);
            String exits = reaping == Reaping.ORPHANS ? "one waitid thread" : "one pidfd poller thread";
            OomScore oom = reaping == Reaping.ORPHANS ? OomScore.lowered() : OomScore.inherited();
            return new LinuxProcessControl(spawner, Reaper.open(reaping), oom,
                    "Linux native (posix_spawn, " + exits + role + (spawner.restoresNofile() ? nofile.describe() : "") + ")");
        } catch (LinkageError | UnsupportedOperationException e) {
            // E.g. FFM refused by --illegal-native-access=deny, surfacing from class initialisation.
            throw new NativeUnavailableException("cannot bind libc: " + e, e);
        }
    }

    private static String subreaper() {
        int r = LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1);
        if (r < 0) {
            // No logger field: this class is initialised by prepare(), maybe before the logging backend.
            LoggerFactory.getLogger(LinuxProcessControl.class)
                    .warn("cannot become child subreaper: {}; orphans will go to our parent", Errno.describe(-r));
            return ", orphan reaping unavailable";
        }
        return ", reaping orphans as child subreaper";
    }

    private static void checkPlatform() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux")) {
            throw new NativeUnavailableException("not Linux (" + os + ")");
        }
        // The constants in LibC (syscall number, struct offsets) are checked for these two only.
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            throw new NativeUnavailableException("unsupported architecture " + arch);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean runsAsOtherUsers() {
        return true;
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws SpawnException {
        return reaper.start(() -> {
            PosixSpawner.Spawned spawned = spawner.spawn(request, pid -> adjustOomScore(pid, request));
            if (spawned.stdout() < 0 && spawned.stderr() < 0) {
                return new Reaper.Started(spawned.pid(), CompletableFuture.completedFuture(null), () -> {});
            }
            List<CompletableFuture<Void>> pipes = new ArrayList<>(2);
            if (spawned.stdout() >= 0) {
                pipes.add(output.attach(spawned.stdout(), request.stdout()));
            }
            if (spawned.stderr() >= 0) {
                pipes.add(output.attach(spawned.stderr(), request.stderr()));
            }
            return new Reaper.Started(spawned.pid(), CompletableFuture.allOf(pipes.toArray(CompletableFuture[]::new)),
                    request::flushSinks);
        });
    }

    private void adjustOomScore(int pid, SpawnRequest request) {
        Integer value = oom.forChild(request.oomScoreAdj());
        if (value != null) {
            int err = ProcFiles.write(pid, "oom_score_adj", value.toString());
            // ENOENT/ESRCH: it has exited already, and its exit will be reported as usual.
            if (err != 0 && err != Errno.ENOENT && err != Errno.ESRCH) {
                oom.warnRefused(request.argv().getFirst(), value, Errno.describe(err));
            }
        }
    }

    @Override
    public int stopDescendants(Duration grace) {
        // Without a child there is no descendant: spare every exit a scan of /proc.
        boolean descendants = reaper instanceof OrphanReaper && OrphanReaper.hasChildren();
        return Leftovers.stop(new Leftovers.Scope(descendants, reaper.remnantGroups()), grace);
    }

    /** How many orphaned descendants have been reaped; for tests and diagnostics. */
    long orphansReaped() {
        return reaper instanceof OrphanReaper orphans ? orphans.orphansReaped() : 0;
    }

    /** Stops the reaper thread; futures of children still running complete exceptionally. */
    @Override
    public void close() {
        reaper.close(); // waits for spawns under way and refuses new ones
        spawner.close();
        output.close();
    }
}
