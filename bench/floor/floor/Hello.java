package floor;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Semaphore;

/**
 * The JVM's own floor, with the launcher's flags but none of Carnival (bench/lib.sh builds it into
 * a jlink image of its own, java.base only, with an AOT cache trained on each mode):
 * <ul>
 *   <li>no argument: prints "hello";
 *   <li>{@code ffm}: the same plus one FFM downcall (getpid) with the descriptor native process
 *       control uses, so the JDK builds its first downcall stub, as Carnival must before it can
 *       spawn anything;
 *   <li>{@code sleep}: only sleeps (15 s), for resident memory;
 *   <li>{@code spawn N}: bench/spawn_loop.c's loop through FFM, one thread: the JDK's own floor
 *       under the restarts row;
 *   <li>{@code handoff N}: the same calls in the supervisor's thread shape (one reaper thread
 *       blocked in waitpid(-1), a new virtual thread per spawn started by the reaper on each
 *       exit; see docs/containers.md, "Process control"), with no state machine, events or log
 *       lines: what that shape itself costs in the JDK.
 * </ul>
 */
public final class Hello {
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.out.println("hello");
            return;
        }
        if (args[0].equals("sleep")) {
            Thread.sleep(15_000);
            return;
        }
        if (args[0].equals("spawn")) {
            spawnLoop(Integer.parseInt(args[1]));
            return;
        }
        if (args[0].equals("handoff")) {
            handoffLoop(Integer.parseInt(args[1]));
            return;
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment getpid = linker.defaultLookup().find("getpid").orElseThrow();
        MethodHandle call = linker.downcallHandle(
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        MemorySegment state = Arena.global().allocate(Linker.Option.captureStateLayout());
        System.out.println("hello from pid " + (long) call.invokeExact(getpid, state, 0L, 0L, 0L, 0L, 0L, 0L));
    }

    /** Only the spawn loop's: the other rows must not pay for it. */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final MethodHandle CALL = LINKER.downcallHandle(
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        static final MemorySegment STATE = Arena.global().allocate(Linker.Option.captureStateLayout());
    }

    private static int c(String function, long a, long b, long c, long d, long e, long f) throws Throwable {
        return (int) (long) Native.CALL.invokeExact(Native.LIBC.find(function).orElseThrow(), Native.STATE,
                a, b, c, d, e, f);
    }

    /** bench/spawn_loop.c's loop: new session, default signals, empty mask, stdin /dev/null, fds >= 3 closed. */
    private static void spawnLoop(int n) throws Throwable {
        Spawner spawner = new Spawner();
        MemorySegment status = Arena.global().allocate(8, 8);
        for (int i = 0; i < n; i++) {
            spawner.waitFor(spawner.spawn(), status);
        }
    }

    /**
     * The same n spawns in the supervisor's shape: a reaper thread that waits for any child and,
     * on each exit, starts a virtual thread that makes the next spawn; a spawn wakes the reaper
     * when it had no child (as a supervisor's reaper with no other child must be woken).
     */
    private static void handoffLoop(int n) throws Throwable {
        Spawner spawner = new Spawner();
        Semaphore children = new Semaphore(0);
        Runnable spawnOne = () -> {
            failOnError(spawner::spawn);
            children.release();
        };
        Thread reaper = Thread.ofPlatform().name("reaper").start(() -> failOnError(() -> {
            MemorySegment status = Arena.global().allocate(8, 8);
            for (int i = 0; i < n; i++) {
                children.acquireUninterruptibly();
                spawner.waitFor(-1, status);
                if (i + 1 < n) {
                    Thread.startVirtualThread(spawnOne);
                }
            }
        }));
        Thread.startVirtualThread(spawnOne);
        reaper.join();
    }

    /** A failure on another thread ends the program with status 1: it must not hang, nor exit 0 with spawns missing. */
    private static void failOnError(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static final class Spawner {
        private final MemorySegment attr;
        private final MemorySegment actions;
        private final MemorySegment pid;
        private final MemorySegment file;
        private final MemorySegment argv;
        private final long environ;
        private final MemorySegment spawnp = Native.LIBC.find("posix_spawnp").orElseThrow();
        private final MemorySegment waitpid = Native.LIBC.find("waitpid").orElseThrow();

        Spawner() throws Throwable {
            Arena arena = Arena.global();
            attr = arena.allocate(1024, 16);
            actions = arena.allocate(1024, 16);
            MemorySegment all = arena.allocate(128, 8);
            MemorySegment none = arena.allocate(128, 8);
            pid = arena.allocate(8, 8);
            file = arena.allocateFrom("true");
            argv = arena.allocate(16, 8);
            argv.set(JAVA_LONG, 0, file.address());
            environ = Native.LIBC.find("environ").orElseThrow().reinterpret(8).get(JAVA_LONG, 0);
            c("sigfillset", all.address(), 0, 0, 0, 0, 0);
            c("sigemptyset", none.address(), 0, 0, 0, 0, 0);
            c("posix_spawnattr_init", attr.address(), 0, 0, 0, 0, 0);
            c("posix_spawnattr_setsigdefault", attr.address(), all.address(), 0, 0, 0, 0);
            c("posix_spawnattr_setsigmask", attr.address(), none.address(), 0, 0, 0, 0);
            c("posix_spawnattr_setflags", attr.address(), 0x80 | 0x04 | 0x08, 0, 0, 0, 0);
            c("posix_spawn_file_actions_init", actions.address(), 0, 0, 0, 0, 0);
            c("posix_spawn_file_actions_addopen", actions.address(), 0, arena.allocateFrom("/dev/null").address(), 0, 0, 0);
            c("posix_spawn_file_actions_addclosefrom_np", actions.address(), 3, 0, 0, 0, 0);
        }

        int spawn() {
            try {
                long err = (long) Native.CALL.invokeExact(spawnp, Native.STATE, pid.address(), file.address(),
                        actions.address(), attr.address(), argv.address(), environ);
                if ((int) err != 0) {
                    throw new IllegalStateException("posix_spawnp failed: " + err);
                }
                return pid.get(JAVA_INT, 0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Waits for {@code child} (-1: any) and checks that it exited with 0. */
        void waitFor(int child, MemorySegment status) {
            try {
                int r = (int) (long) Native.CALL.invokeExact(waitpid, Native.STATE, (long) child, status.address(), 0L, 0L, 0L, 0L);
                if (r <= 0 || (child > 0 && r != child) || status.get(JAVA_INT, 0) != 0) {
                    throw new IllegalStateException("waitpid(" + child + ") = " + r);
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
