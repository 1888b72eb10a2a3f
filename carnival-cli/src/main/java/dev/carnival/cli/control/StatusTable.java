package dev.carnival.cli.control;

import java.util.ArrayList;
import java.util.List;

/** {@code carnival status} for people: one line per replica, aligned columns. */
public final class StatusTable {
    private static final List<String> HEADER = List.of("SERVICE", "REPLICA", "STATE", "PID", "UPTIME", "RESTARTS",
            "LAST EXIT", "READY", "CPU", "MEM");

    private StatusTable() {}

    public static String render(StatusReport report) {
        // A job's columns, and the notify status, only when some replica has them.
        boolean jobs = report.replicas().stream().anyMatch(r -> r.job() != null);
        boolean notes = report.replicas().stream().anyMatch(r -> r.notifyStatus() != null);
        List<String> header = new ArrayList<>(HEADER);
        if (jobs) {
            header.addAll(List.of("NEXT RUN", "LAST RESULT"));
        }
        if (notes) {
            header.add("STATUS");
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (StatusReport.Row r : report.replicas()) {
            List<String> line = new ArrayList<>(List.of(r.service(), Integer.toString(r.replica()), r.state(),
                    r.pid().isPresent() ? Long.toString(r.pid().getAsLong()) : "-",
                    r.uptimeMs().isPresent() ? uptime(r.uptimeMs().getAsLong()) : "-",
                    Integer.toString(r.restarts()),
                    r.lastExit() == null ? "-" : r.lastExit().describe(),
                    r.ready() ? "yes" : "no",
                    r.resources() == null ? "-" : percent(r.resources().cpuPercent()),
                    r.resources() == null ? "-" : bytes(r.resources().memoryBytes())));
            if (jobs) {
                line.add(r.job() == null || r.job().nextRun() == null ? "-" : r.job().nextRun());
                line.add(r.job() == null || r.job().lastResult() == null ? "-" : r.job().lastResult());
            }
            if (notes) {
                line.add(r.notifyStatus() == null ? "-" : r.notifyStatus());
            }
            lines.add(line);
        }
        int[] width = new int[header.size()];
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

    /** {@code 12.5%}: of one core, over the last sampling period. */
    static String percent(double cpu) {
        return Math.round(cpu * 10) / 10.0 + "%";
    }

    /** {@code 612.4MiB}: resident memory, in the largest unit it has one of, one decimal. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (unit < units.length - 1 && bytes >= 1L << 10 * (unit + 1)) {
            unit++;
        }
        return unit == 0 ? bytes + "B" : Math.round(bytes * 10.0 / (1L << 10 * unit)) / 10.0 + units[unit];
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
