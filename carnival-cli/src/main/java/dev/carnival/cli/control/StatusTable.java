package dev.carnival.cli.control;

import java.util.ArrayList;
import java.util.List;

/** {@code carnival status} for people: one line per replica, aligned columns. */
public final class StatusTable {
    private static final List<String> HEADER = List.of("SERVICE", "REPLICA", "STATE", "PID", "UPTIME", "RESTARTS",
            "LAST EXIT", "READY");

    private StatusTable() {}

    public static String render(StatusReport report) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (StatusReport.Row r : report.replicas()) {
            lines.add(List.of(r.service(), Integer.toString(r.replica()), r.state(),
                    r.pid().isPresent() ? Long.toString(r.pid().getAsLong()) : "-",
                    r.uptimeMs().isPresent() ? uptime(r.uptimeMs().getAsLong()) : "-",
                    Integer.toString(r.restarts()),
                    r.lastExit() == null ? "-" : r.lastExit().describe(),
                    r.ready() ? "yes" : "no"));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                l.append(line.get(i));
                if (i < width.length - 1) {
                    l.append(" ".repeat(width[i] - line.get(i).length() + 2));
                }
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** {@code 45s}, {@code 3m07s}, {@code 2h05m}, {@code 3d04h}. */
    static String uptime(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
