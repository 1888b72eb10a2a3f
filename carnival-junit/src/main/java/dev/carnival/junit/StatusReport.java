package dev.carnival.junit;

import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The text a failed start shows: the status table, then each lagging replica's last output lines. */
final class StatusReport {
    static final int LAST_LINES = 20;
    private static final List<String> HEADER = List.of("SERVICE", "REPLICA", "STATE", "PID", "UPTIME", "RESTARTS",
            "LAST EXIT", "READY");

    private StatusReport() {}

    static String failure(String headline, Readiness readiness, int initCommands, OutputRoute output) {
        StringBuilder text = new StringBuilder(headline).append('\n');
        text.append("supervisor: ").append(readiness.status().phase().id()).append('\n');
        text.append(table(readiness.status()));
        if (readiness.status().phase() != SupervisorStatus.Phase.RUNNING) {
            for (int i = 0; i < initCommands; i++) {
                lines(text, "init command " + i, output.lastInitLines(i, LAST_LINES));
            }
        }
        for (ReplicaStatus r : readiness.lagging()) {
            lines(text, r.replica() + " (" + output.whereIs(r.replica()) + ")",
                    output.lastLines(r.replica(), LAST_LINES));
        }
        return text.toString();
    }

    private static void lines(StringBuilder text, String whose, List<String> lines) {
        text.append("--- ").append(whose).append(lines.isEmpty() ? ": no output"
                : ": last " + lines.size() + (lines.size() == 1 ? " line" : " lines"))
                .append('\n');
        for (String line : lines) {
            text.append("  | ").append(line).append('\n');
        }
    }

    /** One line per replica, aligned columns, as {@code carnival status} prints them. */
    static String table(SupervisorStatus status) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ReplicaStatus r : status.replicas()) {
            rows.add(List.of(r.replica().service(), Integer.toString(r.replica().index()), r.state().id(),
                    r.pid().isPresent() ? Long.toString(r.pid().getAsLong()) : "-",
                    r.uptime().map(StatusReport::seconds).orElse("-"),
                    Integer.toString(r.restartCount()),
                    r.lastExit().map(e -> e.describe()).orElse("-"),
                    r.ready() ? "yes" : "no"));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(row.get(i)).append(" ".repeat(width[i] - row.get(i).length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
