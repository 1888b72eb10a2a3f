package dev.carnival.runtime.supervise;

import dev.carnival.api.Carnival;
import dev.carnival.api.Supervisor;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host program for {@link EmbeddedHostStreamsTest}: one embedded supervisor with captured
 * output (a byte that is not UTF-8 on stderr too), closed, then another whose service inherits
 * the host's stdout and stderr. Prints each process's exit status and this JVM's signal masks
 * and fd 1/2 targets before and after, one per line.
 */
public final class EmbeddedHostMain {
    private EmbeddedHostMain() {}

    public static void main(String[] args) throws Exception {
        String before = hostState();
        List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        CarnivalConfig captured = CarnivalConfig.of(
                ServiceConfig.builder("captured", "sh").args("-c", "echo captured-out; printf 'captured-err\\377\\n' >&2")
                        .replicas(2).output(OutputMode.RAW).build(),
                ServiceConfig.builder("prefixed", "sh").args("-c", "echo prefixed-out; echo prefixed-err >&2")
                        .output(OutputMode.PREFIX).build());
        try (Supervisor s = Carnival.supervisor(captured).outputListener(line -> { })
                .listener(LifecycleListener.of(events::add)).build()) {
            s.start();
            s.await();
        }
        CarnivalConfig inherit = CarnivalConfig.of(ServiceConfig.builder("inherit", "sh")
                .args("-c", "echo inherit-out; echo inherit-err >&2; echo inherit-err-again >&2").build());
        try (Supervisor s = Carnival.supervisor(inherit).listener(LifecycleListener.of(events::add)).build()) {
            s.start();
            s.await();
        }
        StringBuilder report = new StringBuilder();
        for (LifecycleEvent e : events) {
            if (e instanceof LifecycleEvent.ProcessExited x) {
                report.append("exited ").append(x.replica()).append(' ').append(x.status()).append('\n');
            }
        }
        report.append("before ").append(before).append('\n').append("after ").append(hostState()).append('\n');
        Files.writeString(Path.of(args[0] + ".tmp"), report);
        Files.move(Path.of(args[0] + ".tmp"), Path.of(args[0]));
    }

    /** fd 1 and 2's targets and this process's blocked, ignored and caught signal masks. */
    private static String hostState() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String fd : List.of("1", "2")) {
            b.append(fd).append('=').append(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd))).append(' ');
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigBlk") || line.startsWith("SigIgn") || line.startsWith("SigCgt")) {
                b.append(line.replace('\t', ' ')).append(' ');
            }
        }
        return b.toString().strip();
    }
}
