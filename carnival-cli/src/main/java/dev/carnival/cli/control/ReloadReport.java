package dev.carnival.cli.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.carnival.api.reload.ReloadPlan;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.api.reload.ServiceChange;
import dev.carnival.api.reload.ServiceOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reload answers: the generation, whether it was applied, halted or only planned, the
 * settings left for the next start, and one line per service.
 *
 * @param result {@code applied}, {@code halted} or {@code dry-run}
 */
public record ReloadReport(long generation, String result, List<String> notApplied, List<Line> services) {
    public ReloadReport {
        notApplied = List.copyOf(notApplied);
        services = List.copyOf(services);
    }

    /** One service's line; {@code halted} names the replica a rollout halted at. */
    public record Line(String service, String action, List<String> changed, int replicasBefore, int replicasAfter,
                       Optional<String> halted, String detail) {
        public Line {
            changed = List.copyOf(changed);
        }
    }

    /** A plan not carried out. */
    static ReloadReport planned(long generation, ReloadPlan plan) {
        return new ReloadReport(generation, "dry-run", plan.notApplied(),
                plan.services().stream().map(c -> line(c, Optional.empty())).toList());
    }

    /** A reload carried out, in full or halted. */
    static ReloadReport of(ReloadResult r) {
        List<Line> lines = new ArrayList<>();
        for (ServiceChange c : r.plan().services()) {
            lines.add(line(c, r.services().stream().filter(o -> o.service().equals(c.service())).findFirst()));
        }
        return new ReloadReport(r.generation(), r.halted().isPresent() ? "halted" : "applied", r.plan().notApplied(),
                lines);
    }

    private static Line line(ServiceChange c, Optional<ServiceOutcome> outcome) {
        return new Line(c.service(), c.action().id(), c.changed(), c.replicasBefore(), c.replicasAfter(),
                outcome.flatMap(ServiceOutcome::halted), outcome.map(ServiceOutcome::detail).orElse(""));
    }

    /** The fields, into the object being written. */
    void write(JsonGenerator g) throws IOException {
        g.writeNumberField("generation", generation);
        g.writeStringField("result", result);
        g.writeArrayFieldStart("not_applied");
        for (String s : notApplied) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("services");
        for (Line l : services) {
            g.writeStartObject();
            g.writeStringField("service", l.service());
            g.writeStringField("action", l.action());
            g.writeArrayFieldStart("changed");
            for (String k : l.changed()) {
                g.writeString(k);
            }
            g.writeEndArray();
            g.writeNumberField("replicas_before", l.replicasBefore());
            g.writeNumberField("replicas_after", l.replicasAfter());
            if (l.halted().isPresent()) {
                g.writeStringField("halted", l.halted().get());
                g.writeStringField("detail", l.detail());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Reads the fields {@link #write} wrote, with the parser on the first of them. */
    static final class Reader {
        long generation;
        String result = "";
        final List<String> notApplied = new ArrayList<>();
        final List<Line> services = new ArrayList<>();
        boolean seen;

        /** True if {@code field}, whose value the parser is on, is one of the report's. */
        boolean read(String field, JsonParser p) throws IOException {
            switch (field) {
                case "generation" -> generation = p.getLongValue();
                case "result" -> result = p.getValueAsString();
                case "not_applied" -> strings(p, notApplied);
                case "services" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        services.add(line(p));
                    }
                }
                default -> {
                    return false;
                }
            }
            seen = true;
            return true;
        }

        Optional<ReloadReport> report() {
            return seen ? Optional.of(new ReloadReport(generation, result, notApplied, services)) : Optional.empty();
        }

        private static Line line(JsonParser p) throws IOException {
            String service = "";
            String action = "";
            List<String> changed = new ArrayList<>();
            int before = 0;
            int after = 0;
            String halted = null;
            String detail = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "service" -> service = p.getValueAsString();
                    case "action" -> action = p.getValueAsString();
                    case "changed" -> strings(p, changed);
                    case "replicas_before" -> before = p.getIntValue();
                    case "replicas_after" -> after = p.getIntValue();
                    case "halted" -> halted = p.getValueAsString();
                    case "detail" -> detail = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            return new Line(service, action, changed, before, after, Optional.ofNullable(halted), detail);
        }

        private static void strings(JsonParser p, List<String> into) throws IOException {
            while (p.nextToken() == JsonToken.VALUE_STRING) {
                into.add(p.getValueAsString());
            }
        }
    }

    /** One line per service: its name, the action, then the replica count and the keys that changed. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-20s %-8s %-9s %s", "SERVICE", "ACTION", "REPLICAS", "CHANGED")).append('\n');
        for (Line l : services) {
            String count = l.replicasBefore() == l.replicasAfter() ? Integer.toString(l.replicasAfter())
                    : l.replicasBefore() + "->" + l.replicasAfter();
            String changed = String.join(", ", l.changed());
            if (l.halted().isPresent()) {
                changed = (changed.isEmpty() ? "" : changed + "; ") + "halted at " + l.halted().get() + ": " + l.detail();
            }
            b.append(String.format("%-20s %-8s %-9s %s", l.service(), l.action(), count, changed).stripTrailing())
                    .append('\n');
        }
        for (String s : notApplied) {
            b.append("not applied until the next start: ").append(s).append('\n');
        }
        b.append(switch (result) {
            case "dry-run" -> "dry run: nothing changed (generation " + generation + ")\n";
            case "halted" -> "rollout halted; generation " + generation + "\n";
            default -> "applied: generation " + generation + "\n";
        });
        return b.toString();
    }
}
