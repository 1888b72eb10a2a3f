package dev.carnival.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc on its own, so that the tests do not check the extension with its own code. */
final class Procs {
    private Procs() {}

    /** The start time field of /proc/PID/stat, or -1 when the process is gone. */
    static long startTicks(long pid) {
        String[] f = fields(pid);
        return f == null ? -1 : Long.parseLong(f[19]);
    }

    /** Whether {@code pid} still runs (not a zombie) and is the process that started at {@code startTicks}. */
    static boolean alive(long pid, long startTicks) {
        String[] f = fields(pid);
        return f != null && !f[0].equals("Z") && Long.parseLong(f[19]) == startTicks;
    }

    // The fields after "pid (comm) ", which may hold spaces: state is [0], starttime [19].
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
