package dev.carnival.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    @Test
    void writesTheDocumentedShapeAndReadsItBack() throws Exception {
        FakeSupervisor supervisor = new FakeSupervisor();
        supervisor.set(1, supervisor.status().replicas().get(1).withResources(Optional.of(
                new ResourceUsage(12.54, 3.421, 50_540_134, Instant.EPOCH)), 1));
        StatusReport report = StatusReport.of(supervisor.status());
        byte[] line = Json.line(g -> StatusJson.write(report, g));
        String json = new String(line, StandardCharsets.UTF_8);
        assertEquals("{\"phase\":\"running\",\"generation\":1,\"replicas\":["
                + "{\"service\":\"web\",\"replica\":0,\"state\":\"running\",\"pid\":100,\"ready\":true,\"restarts\":0,"
                + "\"uptime_ms\":1234,\"last_exit\":{\"code\":0},\"should_run\":true,\"probe_failures\":0,"
                + "\"cpu_percent\":null,\"cpu_seconds\":null,\"memory_bytes\":null,\"memory_restarts\":0},"
                + "{\"service\":\"web\",\"replica\":1,\"state\":\"running\",\"pid\":101,\"ready\":true,\"restarts\":0,"
                + "\"uptime_ms\":1234,\"last_exit\":{\"code\":0},\"should_run\":true,\"probe_failures\":0,"
                + "\"cpu_percent\":12.5,\"cpu_seconds\":3.42,\"memory_bytes\":50540134,\"memory_restarts\":1},"
                + "{\"service\":\"db\",\"replica\":0,\"state\":\"backoff\",\"pid\":null,\"ready\":false,\"restarts\":3,"
                + "\"uptime_ms\":null,\"last_exit\":{\"signal\":\"SIGKILL\"},\"should_run\":true,\"probe_failures\":2,"
                + "\"cpu_percent\":null,\"cpu_seconds\":null,\"memory_bytes\":null,\"memory_restarts\":0}]}\n", json);
        StatusReport back = Response.parse(Response.status(report).toLine(), Response.status(report).toLine().length - 1)
                .status().orElseThrow();
        assertEquals(report.replicas().get(0), back.replicas().get(0));
        assertEquals(new StatusReport.Resources(12.5, 3.42, 50_540_134), back.replicas().get(1).resources(),
                "as written: rounded to what the JSON shows");
        assertEquals(1, back.replicas().get(1).memoryRestarts());
        assertEquals(report.replicas().get(2), back.replicas().get(2));
        assertEquals("web      1        running  101  1s      0         code 0     yes    12.5%  48.2MiB",
                StatusTable.render(report).lines().toList().get(2));
        assertEquals(List.of("db[0]"), back.unhealthy().stream().map(StatusReport.Row::label).toList());
    }

    @Test
    void tableHasOneLinePerReplica() {
        String table = StatusTable.render(StatusReport.of(new FakeSupervisor().status()));
        assertEquals("""
                SERVICE  REPLICA  STATE    PID  UPTIME  RESTARTS  LAST EXIT  READY  CPU  MEM
                web      0        running  100  1s      0         code 0     yes    -    -
                web      1        running  101  1s      0         code 0     yes    -    -
                db       0        backoff  -    -       3         SIGKILL    no     -    -
                """, table);
        assertEquals("3m07s", StatusTable.uptime(187_000));
        assertEquals("2h05m", StatusTable.uptime(7_500_000));
    }
}
