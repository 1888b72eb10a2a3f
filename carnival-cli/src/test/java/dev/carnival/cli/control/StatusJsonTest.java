package dev.carnival.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    @Test
    void writesTheDocumentedShapeAndReadsItBack() throws Exception {
        StatusReport report = StatusReport.of(new FakeSupervisor().status());
        byte[] line = Json.line(g -> StatusJson.write(report, g));
        String json = new String(line, StandardCharsets.UTF_8);
        assertEquals("{\"phase\":\"running\",\"generation\":1,\"replicas\":["
                + "{\"service\":\"web\",\"replica\":0,\"state\":\"running\",\"pid\":100,\"ready\":true,\"restarts\":0,"
                + "\"uptime_ms\":1234,\"last_exit\":{\"code\":0},\"should_run\":true,\"probe_failures\":0},"
                + "{\"service\":\"web\",\"replica\":1,\"state\":\"running\",\"pid\":101,\"ready\":true,\"restarts\":0,"
                + "\"uptime_ms\":1234,\"last_exit\":{\"code\":0},\"should_run\":true,\"probe_failures\":0},"
                + "{\"service\":\"db\",\"replica\":0,\"state\":\"backoff\",\"pid\":null,\"ready\":false,\"restarts\":3,"
                + "\"uptime_ms\":null,\"last_exit\":{\"signal\":\"SIGKILL\"},\"should_run\":true,\"probe_failures\":2}]}\n", json);
        StatusReport back = Response.parse(Response.status(report).toLine(), Response.status(report).toLine().length - 1)
                .status().orElseThrow();
        assertEquals(report, back);
        assertEquals(List.of("db[0]"), back.unhealthy().stream().map(StatusReport.Row::label).toList());
    }

    @Test
    void tableHasOneLinePerReplica() {
        String table = StatusTable.render(StatusReport.of(new FakeSupervisor().status()));
        assertEquals("""
                SERVICE  REPLICA  STATE    PID  UPTIME  RESTARTS  LAST EXIT  READY
                web      0        running  100  1s      0         code 0     yes
                web      1        running  101  1s      0         code 0     yes
                db       0        backoff  -    -       3         SIGKILL    no
                """, table);
        assertEquals("3m07s", StatusTable.uptime(187_000));
        assertEquals("2h05m", StatusTable.uptime(7_500_000));
    }
}
