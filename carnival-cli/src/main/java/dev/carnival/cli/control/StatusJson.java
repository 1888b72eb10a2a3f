package dev.carnival.cli.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A {@link StatusReport} as JSON, both ways:
 * {@code {"phase": "running", "generation": 1, "replicas": [{"service": "web", "replica": 0, "state": "running",
 * "pid": 42, "ready": true, "restarts": 0, "uptime_ms": 1234, "last_exit": null, "cpu_percent": 1.5,
 * "cpu_seconds": 0.42, "memory_bytes": 12345678, ...}]}}; the three resource fields are null without a sample.
 */
public final class StatusJson {
    private StatusJson() {}

    public static void write(StatusReport report, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("phase", report.phase());
        g.writeNumberField("generation", report.generation());
        g.writeArrayFieldStart("replicas");
        for (StatusReport.Row r : report.replicas()) {
            g.writeStartObject();
            g.writeStringField("service", r.service());
            g.writeNumberField("replica", r.replica());
            g.writeStringField("state", r.state());
            g.writeFieldName("pid");
            if (r.pid().isPresent()) {
                g.writeNumber(r.pid().getAsLong());
            } else {
                g.writeNull();
            }
            g.writeBooleanField("ready", r.ready());
            g.writeNumberField("restarts", r.restarts());
            g.writeFieldName("uptime_ms");
            if (r.uptimeMs().isPresent()) {
                g.writeNumber(r.uptimeMs().getAsLong());
            } else {
                g.writeNull();
            }
            g.writeFieldName("last_exit");
            if (r.lastExit() == null) {
                g.writeNull();
            } else if (r.lastExit().code().isPresent()) {
                g.writeStartObject();
                g.writeNumberField("code", r.lastExit().code().getAsInt());
                g.writeEndObject();
            } else {
                g.writeStartObject();
                g.writeStringField("signal", r.lastExit().signal());
                g.writeEndObject();
            }
            g.writeBooleanField("should_run", r.shouldRun());
            g.writeNumberField("probe_failures", r.probeFailures());
            if (r.job() != null) {
                job(r.job(), g);
            }
            if (r.notifyStatus() != null) {
                g.writeStringField("notify_status", r.notifyStatus());
            }
            StatusReport.Resources u = r.resources();
            if (u == null) {
                g.writeNullField("cpu_percent");
                g.writeNullField("cpu_seconds");
                g.writeNullField("memory_bytes");
            } else {
                g.writeNumberField("cpu_percent", Math.round(u.cpuPercent() * 10) / 10.0);
                g.writeNumberField("cpu_seconds", Math.round(u.cpuSeconds() * 100) / 100.0);
                g.writeNumberField("memory_bytes", u.memoryBytes());
            }
            g.writeNumberField("memory_restarts", r.memoryRestarts());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A job's fields: {@code "next_run"}, {@code "last_result"}, {@code "last_success"}, {@code "runs"}. */
    private static void job(StatusReport.Job j, JsonGenerator g) throws IOException {
        g.writeStringField("next_run", j.nextRun());
        g.writeStringField("last_result", j.lastResult());
        g.writeStringField("last_success", j.lastSuccess());
        g.writeObjectFieldStart("runs");
        g.writeNumberField("success", j.successes());
        g.writeNumberField("failure", j.failures());
        g.writeNumberField("skipped", j.skipped());
        g.writeEndObject();
    }

    /** Reads what {@link #write} wrote; the parser is at the object's START_OBJECT. Unknown fields are skipped. */
    public static StatusReport read(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        String phase = "unknown";
        long generation = 1;
        List<StatusReport.Row> rows = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "phase" -> phase = p.getValueAsString();
                case "generation" -> generation = p.getLongValue();
                case "replicas" -> {
                    expect(p, value, JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        rows.add(row(p));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new StatusReport(phase, rows, generation);
    }

    private static StatusReport.Row row(JsonParser p) throws IOException {
        String service = "";
        int replica = 0;
        String state = "";
        OptionalLong pid = OptionalLong.empty();
        boolean ready = false;
        int restarts = 0;
        OptionalLong uptime = OptionalLong.empty();
        StatusReport.LastExit lastExit = null;
        boolean shouldRun = false;
        long probeFailures = 0;
        String nextRun = null;
        String lastResult = null;
        String lastSuccess = null;
        long[] runs = null;
        String notifyStatus = null;
        Double cpuPercent = null;
        Double cpuSeconds = null;
        Long memory = null;
        long memoryRestarts = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            boolean isNull = value == JsonToken.VALUE_NULL;
            switch (field) {
                case "service" -> service = p.getValueAsString();
                case "replica" -> replica = p.getIntValue();
                case "state" -> state = p.getValueAsString();
                case "pid" -> pid = isNull ? OptionalLong.empty() : OptionalLong.of(p.getLongValue());
                case "ready" -> ready = p.getBooleanValue();
                case "restarts" -> restarts = p.getIntValue();
                case "uptime_ms" -> uptime = isNull ? OptionalLong.empty() : OptionalLong.of(p.getLongValue());
                case "last_exit" -> lastExit = isNull ? null : lastExit(p);
                case "should_run" -> shouldRun = p.getBooleanValue();
                case "probe_failures" -> probeFailures = p.getLongValue();
                case "next_run" -> nextRun = isNull ? null : p.getValueAsString();
                case "last_result" -> lastResult = isNull ? null : p.getValueAsString();
                case "last_success" -> lastSuccess = isNull ? null : p.getValueAsString();
                case "runs" -> runs = runs(p);
                case "notify_status" -> notifyStatus = isNull ? null : p.getValueAsString();
                case "cpu_percent" -> cpuPercent = isNull ? null : p.getDoubleValue();
                case "cpu_seconds" -> cpuSeconds = isNull ? null : p.getDoubleValue();
                case "memory_bytes" -> memory = isNull ? null : p.getLongValue();
                case "memory_restarts" -> memoryRestarts = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        StatusReport.Job job = runs == null ? null
                : new StatusReport.Job(nextRun, lastResult, lastSuccess, runs[0], runs[1], runs[2]);
        StatusReport.Resources resources = memory == null ? null
                : new StatusReport.Resources(cpuPercent == null ? 0 : cpuPercent, cpuSeconds == null ? 0 : cpuSeconds, memory);
        return new StatusReport.Row(service, replica, state, pid, ready, restarts, uptime, lastExit, shouldRun, probeFailures,
                job, notifyStatus, resources, memoryRestarts);
    }

    /** {@code {"success": n, "failure": n, "skipped": n}} as those three counts. */
    private static long[] runs(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        long[] runs = new long[3];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "success" -> runs[0] = p.getLongValue();
                case "failure" -> runs[1] = p.getLongValue();
                case "skipped" -> runs[2] = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        return runs;
    }

    private static StatusReport.LastExit lastExit(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        OptionalInt code = OptionalInt.empty();
        String signal = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "code" -> code = OptionalInt.of(p.getIntValue());
                case "signal" -> signal = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        return new StatusReport.LastExit(code, signal);
    }

    static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected " + expected.asString()
                    + " but found " + (actual == null ? "end of input" : actual.asString()));
        }
    }
}
