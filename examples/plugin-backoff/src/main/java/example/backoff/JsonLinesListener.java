package example.backoff;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.SpawnFailed;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Appends each lifecycle event, as one JSON object per line, to the file named by the
 * environment variable {@value #FILE_VARIABLE}; does nothing when it is unset or blank.
 *
 * <pre>{"at":"2026-01-02T03:04:05.678Z","event":"process-exited","replica":"web[0]","pid":123,
 * "status":"exited with code 1","exitCode":1,"uptimeMs":12}</pre>
 *
 * <p>Every line has {@code at} (UTC, ISO-8601) and {@code event}; the other fields depend on
 * the event (listed in the README). Each line is written with a single write and flushed, so a
 * reader tailing the file never sees half a line from this process. The file is opened on the
 * first event, not when the plugin is found, and closed after {@code supervisor-stopped}.
 *
 * <p>A failed write throws {@link UncheckedIOException} out of {@link #onEvent}: Carnival calls
 * each listener on a thread of its own and logs a listener's failure once, so supervision never
 * notices, and the operator learns the events file is broken instead of finding it silently
 * empty. The next event tries again with a freshly opened file.
 */
public final class JsonLinesListener implements LifecycleListener {
    /** Names the file to append to. */
    public static final String FILE_VARIABLE = "CARNIVAL_EVENTS_FILE";

    private final Path file;
    private OutputStream out; // guarded by this

    /** Writes to the file named by {@value #FILE_VARIABLE}, if set; ServiceLoader calls this. */
    public JsonLinesListener() {
        this(target(System.getenv()));
    }

    /** Writes to {@code file}, or does nothing when it is {@code null}. */
    JsonLinesListener(Path file) {
        this.file = file;
    }

    static Path target(Map<String, String> environment) {
        String name = environment.get(FILE_VARIABLE);
        return name == null || name.isBlank() ? null : Path.of(name);
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        if (file == null) {
            return;
        }
        byte[] line = (toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
        // One listener may serve several embedded supervisors: lines must never interleave.
        synchronized (this) {
            try {
                if (out == null) {
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
                }
                out.write(line);
                out.flush();
                if (event instanceof SupervisorStopped) {
                    close();
                }
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("cannot append event to " + file, e);
            }
        }
    }

    private void close() throws IOException {
        OutputStream o = out;
        out = null;
        o.close();
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                close();
            } catch (IOException ignored) {
                // Already failing with a better exception.
            }
        }
    }

    /** The event as one line of JSON, without the newline. */
    static String toJson(LifecycleEvent event) {
        JsonObject json = new JsonObject().string("at", event.at().toString());
        // The default branch is not dead code: a Carnival newer than this plugin may add events,
        // and those should still be written (with their name) rather than fail to match.
        return switch (event) {
            case InitStarted e -> json.string("event", "init-started")
                    .number("index", e.index()).strings("command", e.commandLine()).end();
            case InitFinished e -> json.string("event", "init-finished")
                    .number("index", e.index()).strings("command", e.commandLine())
                    .number("tookMs", e.took().toMillis()).end();
            case InitFailed e -> json.string("event", "init-failed")
                    .number("index", e.index()).strings("command", e.commandLine())
                    .string("reason", e.reason()).end();
            case ProcessStarted e -> json.string("event", "process-started")
                    .string("replica", e.replica().toString()).number("pid", e.pid())
                    .number("restartCount", e.restartCount()).end();
            case SpawnFailed e -> json.string("event", "spawn-failed")
                    .string("replica", e.replica().toString()).string("reason", e.reason()).end();
            case ProcessExited e -> exited(json, e);
            case RestartScheduled e -> json.string("event", "restart-scheduled")
                    .string("replica", e.replica().toString()).number("restartCount", e.restartCount())
                    .number("delayMs", e.delay().toMillis()).end();
            case ReplicaStopped e -> json.string("event", "replica-stopped")
                    .string("replica", e.replica().toString()).string("reason", kebab(e.reason().name()))
                    .string("detail", e.detail()).end();
            case ShutdownRequested e -> json.string("event", "shutdown-requested").string("cause", e.cause()).end();
            case SupervisorStopped e -> json.string("event", "supervisor-stopped").number("exitCode", e.exitCode()).end();
            default -> json.string("event", kebab(event.getClass().getSimpleName())).end();
        };
    }

    private static String exited(JsonObject json, ProcessExited e) {
        json.string("event", "process-exited").string("replica", e.replica().toString()).number("pid", e.pid())
                .string("status", e.status().describe())
                // The shell's convention: the exit code, or 128 + the signal's number.
                .number("exitCode", e.status().asExitCode());
        if (e.status() instanceof ExitStatus.Killed killed) {
            json.string("signal", Signal.describe(killed.signal()));
        }
        return json.number("uptimeMs", e.uptime().toMillis()).end();
    }

    /** {@code RESTART_LIMIT} and {@code RestartLimit} both become {@code restart-limit}. */
    static String kebab(String name) {
        if (name.equals(name.toUpperCase(Locale.ROOT))) {
            return name.toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
