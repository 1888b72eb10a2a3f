package dev.carnival.cli.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.carnival.api.model.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line a client sends: {@code {"op": "restart", "targets": ["web", "db/1"]}}, with
 * {@code "signal": "SIGHUP"} for {@code signal}, and {@code "lines": N} (the last N buffered; all
 * when absent) and {@code "follow": true} for {@code logs}. {@code status} and {@code logs} with no
 * targets mean everything. {@code {"op": "reload", "dry_run": true}} takes no targets; {@code {"op":
 * "scale", "targets": ["web"], "replicas": 3}} one service; {@code "rolling": true} makes a
 * {@code restart} a rolling one.
 */
public record Request(Op op, List<String> targets, Optional<Signal> signal, Logs logs, Options options) {
    public Request {
        Objects.requireNonNull(op, "op");
        targets = List.copyOf(targets);
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(options, "options");
        if ((op == Op.SIGNAL) != signal.isPresent()) {
            throw new IllegalArgumentException("a signal goes with op signal only");
        }
    }

    /** A request without options. */
    public Request(Op op, List<String> targets, Optional<Signal> signal) {
        this(op, targets, signal, Logs.ALL, Options.NONE);
    }

    /** A {@code logs} request. */
    public Request(Op op, List<String> targets, Optional<Signal> signal, Logs logs) {
        this(op, targets, signal, logs, Options.NONE);
    }

    /** A reload, scale or rolling restart request. */
    public Request(Op op, List<String> targets, Optional<Signal> signal, Options options) {
        this(op, targets, signal, Logs.ALL, options);
    }

    /**
     * What {@code logs} reads.
     *
     * @param lines  the last this many buffered lines; negative for all of them
     * @param follow then the new lines, until the client or the supervisor goes
     */
    public record Logs(int lines, boolean follow) {
        /** Every buffered line, and no more. */
        public static final Logs ALL = new Logs(-1, false);
    }

    /**
     * What reload, scale and a rolling restart take.
     *
     * @param dryRun   reload: print the plan, change nothing
     * @param rolling  restart: one replica at a time, each gated on readiness
     * @param replicas scale: the new count, or -1 when absent
     */
    public record Options(boolean dryRun, boolean rolling, int replicas) {
        public static final Options NONE = new Options(false, false, -1);
    }

    /** The operations, as named on the wire and on the command line. */
    public enum Op {
        STATUS, STOP, START, RESTART, SIGNAL, LOGS, RELOAD, SCALE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Op> of(String id) {
            for (Op op : values()) {
                if (op.id().equals(id)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }
    }

    /** A request that cannot be carried out as sent; the message says why. */
    public static final class BadRequestException extends Exception {
        BadRequestException(String message) {
            super(message);
        }
    }

    public byte[] toLine() {
        return Json.line(g -> {
            g.writeStartObject();
            g.writeStringField("op", op.id());
            g.writeArrayFieldStart("targets");
            for (String t : targets) {
                g.writeString(t);
            }
            g.writeEndArray();
            if (signal.isPresent()) {
                g.writeStringField("signal", signal.get().signalName());
            }
            if (op == Op.LOGS) {
                if (logs.lines() >= 0) {
                    g.writeNumberField("lines", logs.lines());
                }
                g.writeBooleanField("follow", logs.follow());
            }
            if (options.dryRun()) {
                g.writeBooleanField("dry_run", true);
            }
            if (options.rolling()) {
                g.writeBooleanField("rolling", true);
            }
            if (options.replicas() >= 0) {
                g.writeNumberField("replicas", options.replicas());
            }
            g.writeEndObject();
        });
    }

    /** Reads one request from the first {@code length} bytes of {@code line}. */
    public static Request parse(byte[] line, int length) throws BadRequestException {
        try (JsonParser p = Json.parser(line, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("a request is one JSON object per line");
            }
            String op = null;
            List<String> targets = new ArrayList<>();
            String signal = null;
            Integer lines = null;
            Boolean follow = null;
            boolean dryRun = false;
            boolean rolling = false;
            int replicas = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "op" -> op = string(p, value, field);
                    case "signal" -> signal = value == JsonToken.VALUE_NUMBER_INT ? p.getText() : string(p, value, field);
                    case "targets" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new BadRequestException("'targets' must be an array of names");
                        }
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            targets.add(string(p, t, "targets"));
                        }
                    }
                    case "lines" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > Integer.MAX_VALUE) {
                            throw new BadRequestException("'lines' must be a whole number >= 0");
                        }
                        lines = p.getIntValue();
                    }
                    case "follow" -> {
                        if (!value.isBoolean()) {
                            throw new BadRequestException("'follow' must be true or false");
                        }
                        follow = p.getBooleanValue();
                    }
                    case "dry_run" -> dryRun = flag(value, field);
                    case "rolling" -> rolling = flag(value, field);
                    case "replicas" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > 100_000) {
                            throw new BadRequestException("'replicas' must be a whole number from 0 to 100000");
                        }
                        replicas = p.getIntValue();
                    }
                    default -> throw new BadRequestException("unknown field '" + field
                            + "' (known: op, targets, signal, lines, follow, dry_run, rolling, replicas)");
                }
            }
            if (p.nextToken() != null) {
                throw new BadRequestException("one JSON object per line, and nothing after it");
            }
            if (op == null) {
                throw new BadRequestException("no 'op' in the request");
            }
            String name = op;
            Op known = Op.of(op).orElseThrow(() -> new BadRequestException("unknown op '" + name
                    + "' (known: status, stop, start, restart, signal, logs, reload, scale)"));
            if ((known == Op.SIGNAL) != (signal != null)) {
                throw new BadRequestException(known == Op.SIGNAL ? "op signal needs a 'signal'" : "'signal' goes with op signal only");
            }
            if (known != Op.LOGS && (lines != null || follow != null)) {
                throw new BadRequestException("'lines' and 'follow' go with op logs only");
            }
            if (known != Op.STATUS && known != Op.LOGS && known != Op.RELOAD && targets.isEmpty()) {
                throw new BadRequestException("op " + op + " needs at least one target");
            }
            if (known == Op.RELOAD && !targets.isEmpty()) {
                throw new BadRequestException("op reload takes no targets: it reloads the whole config");
            }
            if (dryRun && known != Op.RELOAD || rolling && known != Op.RESTART) {
                throw new BadRequestException((dryRun ? "'dry_run'" : "'rolling'") + " goes with op "
                        + (dryRun ? "reload" : "restart") + " only");
            }
            if ((known == Op.SCALE) != (replicas >= 0)) {
                throw new BadRequestException(known == Op.SCALE ? "op scale needs 'replicas'"
                        : "'replicas' goes with op scale only");
            }
            if (known == Op.SCALE && targets.size() != 1) {
                throw new BadRequestException("op scale takes one service");
            }
            Optional<Signal> parsed;
            try {
                parsed = Optional.ofNullable(signal).map(Signal::parse);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(e.getMessage());
            }
            return new Request(known, targets, parsed, new Logs(lines == null ? -1 : lines, follow != null && follow),
                    new Options(dryRun, rolling, replicas));
        } catch (StreamReadException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("malformed JSON: " + e.getMessage());
        }
    }

    private static boolean flag(JsonToken token, String field) throws BadRequestException {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new BadRequestException("'" + field + "' must be true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static String string(JsonParser p, JsonToken token, String field) throws IOException, BadRequestException {
        if (token != JsonToken.VALUE_STRING) {
            throw new BadRequestException("'" + field + "' must be a string");
        }
        return p.getText();
    }
}
