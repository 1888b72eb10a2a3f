package dev.carnival.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Stops the processes left when the supervisor finishes, as s6-overlay's stage 3 and tini's
 * {@code -g} do: SIGTERM, up to a grace period for them to exit, then SIGKILL. Found in
 * {@code /proc}, so both process controls share it: members of process groups whose leader (a
 * child we started) has exited, e.g. daemons a service left behind, and optionally every
 * descendant of this process (for PID 1 or a child subreaper, whose orphans are re-parented here).
 * Processes that exist but have exited (zombies) are not counted, and not waited for.
 */
public final class Leftovers {
    private static final Path PROC = Path.of("/proc");
    private static final long POLL_MILLIS = 20;
    private static final int KILL_ROUNDS = 3;

    private Leftovers() {}

    /**
     * What to stop.
     *
     * @param descendants every descendant of this process
     * @param groups      process groups whose leader, a child we started, has been reaped: a group
     *                    is only ours while no process has the leader's pid again
     */
    public record Scope(boolean descendants, Set<Long> groups) {
        public Scope {
            groups = Set.copyOf(groups);
        }
    }

    /**
     * Sends SIGTERM to what {@code scope} finds, looking again until it is gone or {@code grace}
     * has passed (so that what they fork meanwhile is found too), then SIGKILL to whatever is left.
     *
     * @return how many processes were signalled
     */
    public static int stop(Scope scope, Duration grace) {
        if (!scope.descendants() && scope.groups().isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        Set<ProcessHandle> signalled = new HashSet<>();
        while (true) {
            List<ProcessHandle> found = find(scope);
            if (found.isEmpty()) {
                return signalled.size();
            }
            for (ProcessHandle p : found) {
                if (signalled.add(p)) {
                    p.destroy(); // SIGTERM, after the JDK checks that the pid is still that process
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            pause(Math.min(POLL_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<ProcessHandle> found = find(scope);
            if (found.isEmpty()) {
                break;
            }
            found.forEach(ProcessHandle::destroyForcibly);
            signalled.addAll(found);
            pause(POLL_MILLIS);
        }
        return signalled.size();
    }

    /** Living processes in {@code scope}, never this process. */
    private static List<ProcessHandle> find(Scope scope) {
        long self = ProcessHandle.current().pid();
        Map<Long, Stat> all = scan();
        Set<Long> groups = new HashSet<>(scope.groups());
        groups.removeIf(all::containsKey); // the leader's pid is in use again: the group id may be someone else's
        Set<Long> wanted = new HashSet<>();
        if (scope.descendants()) {
            Map<Long, List<Long>> children = new HashMap<>();
            all.forEach((pid, st) -> children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(pid));
            collect(self, children, wanted::add);
        }
        if (!groups.isEmpty()) {
            all.forEach((pid, st) -> {
                if (groups.contains(st.pgrp())) {
                    wanted.add(pid);
                }
            });
        }
        List<ProcessHandle> found = new ArrayList<>(wanted.size());
        for (long pid : wanted) {
            Stat st = all.get(pid);
            if (pid != self && st.state() != 'Z' && st.state() != 'X') {
                ProcessHandle.of(pid).ifPresent(found::add);
            }
        }
        return found;
    }

    private static void collect(long parent, Map<Long, List<Long>> children, Consumer<Long> into) {
        List<Long> todo = new ArrayList<>(children.getOrDefault(parent, List.of()));
        while (!todo.isEmpty()) {
            long pid = todo.removeLast();
            into.accept(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
    }

    /** One line of /proc/PID/stat: state, parent and process group. */
    record Stat(char state, long ppid, long pgrp) {
        /** Parses after the command name, which is in parentheses and may contain anything. */
        static Optional<Stat> parse(String line) {
            int end = line.lastIndexOf(')');
            if (end < 0 || end + 2 >= line.length()) {
                return Optional.empty();
            }
            String[] f = line.substring(end + 2).split(" ", 4);
            try {
                return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private static Map<Long, Stat> scan() {
        Map<Long, Stat> all = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                try {
                    Stat.parse(Files.readString(p.resolve("stat"))).ifPresent(st -> all.put(Long.parseLong(name), st));
                } catch (NoSuchFileException e) {
                    // exited meanwhile
                } catch (IOException | RuntimeException e) {
                    // unreadable (another user's, hidepid): not ours to stop anyway
                }
            });
        } catch (IOException e) {
            // no /proc: nothing can be found
        }
        return all;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
