package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.carnival.cli.control.StatusJson;
import dev.carnival.cli.control.StatusReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A supervisor with its control socket in a test directory, and the client commands run against it. */
final class Control {
    static final JsonFactory JSON = new JsonFactory();

    final Path dir;
    final Path socket;

    Control(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("c.sock");
    }

    /** Starts carnival on {@code toml} with its socket at {@link #socket}, and waits until it answers. */
    CarnivalProcess start(String toml) {
        CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONTROL_SOCKET", socket.toString()),
                CarnivalProcess.withConfig(dir, toml));
        // The log line, not the file: a stale socket file may be there before carnival replaced it.
        Await.until(() -> "control socket " + socket + "; log so far:\n" + c.stderr(),
                () -> c.stderr().contains("Control socket: " + socket) || !c.isAlive());
        return c;
    }

    /** Runs a client command ({@code status}, {@code stop web}...) against {@link #socket}. */
    CarnivalProcess client(String... args) {
        return CarnivalProcess.run(dir, Map.of(),
                Stream.concat(Stream.of(args), Stream.of("--socket", socket.toString())).toArray(String[]::new));
    }

    /** {@code carnival status --json}, read back into the model the client prints it from. */
    StatusReport status() {
        try (CarnivalProcess c = client("status", "--json")) {
            int exit = c.exitCode();
            assertEquals(true, exit == 0 || exit == 3, () -> "status exit " + exit + ": " + c.stderr());
            return parse(c.stdout());
        }
    }

    static StatusReport parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return StatusJson.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status row of {@code service}'s replica 0. */
    StatusReport.Row row(String service) {
        return status().replicas().stream().filter(r -> r.service().equals(service) && r.replica() == 0)
                .findFirst().orElseThrow(() -> new AssertionError("no replica 0 of " + service + " in the status"));
    }

    /** The pids of {@code service}'s running replicas, in replica order. */
    List<Long> pids(String service) {
        return status().replicas().stream().filter(r -> r.service().equals(service) && r.pid().isPresent())
                .map(r -> r.pid().getAsLong()).toList();
    }

    /** Waits until every replica of {@code service} is in {@code state}; returns that status. */
    StatusReport awaitState(String service, String state) {
        StatusReport[] last = new StatusReport[1];
        Await.until(() -> service + " " + state + "; last status " + last[0], () -> {
            last[0] = status();
            List<StatusReport.Row> rows = last[0].replicas().stream().filter(r -> r.service().equals(service)).toList();
            return !rows.isEmpty() && rows.stream().allMatch(r -> r.state().equals(state));
        });
        return last[0];
    }
}
