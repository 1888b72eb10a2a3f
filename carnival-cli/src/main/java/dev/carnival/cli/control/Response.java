package dev.carnival.cli.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line the supervisor answers: {@code {"ok": true}}, with {@code "status": {...}} for
 * {@code status}; or {@code {"ok": false, "error": "unknown-target", "message": "..."}}.
 */
public record Response(Optional<Error> error, String message, Optional<StatusReport> status,
                       Optional<ReloadReport> reload, List<String> problems) {
    public Response {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reload, "reload");
        problems = List.copyOf(problems);
    }

    public Response(Optional<Error> error, String message, Optional<StatusReport> status) {
        this(error, message, status, Optional.empty(), List.of());
    }

    /** Why a request was not carried out. */
    public enum Error {
        /** Malformed, oversized, an unknown op or field. */
        BAD_REQUEST,
        /** A target names no service or replica. */
        UNKNOWN_TARGET,
        /** {@code logs} of a service whose output is not captured. */
        NOT_CAPTURED,
        /** The supervisor could not carry it out (e.g. it is shutting down). */
        FAILED,
        /** The config file a reload read has problems: {@code "problems"} lists each; nothing was applied. */
        INVALID_CONFIG;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Error of(String id) {
            for (Error e : values()) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
            return FAILED;
        }
    }

    static Response done() {
        return new Response(Optional.empty(), "", Optional.empty());
    }

    static Response status(StatusReport report) {
        return new Response(Optional.empty(), "", Optional.of(report));
    }

    static Response reloaded(ReloadReport report) {
        return new Response(Optional.empty(), "", Optional.empty(), Optional.of(report), List.of());
    }

    static Response invalid(List<String> problems) {
        return new Response(Optional.of(Error.INVALID_CONFIG), problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + " in the config file; nothing applied", Optional.empty(),
                Optional.empty(), problems);
    }

    static Response error(Error error, String message) {
        return new Response(Optional.of(error), message, Optional.empty());
    }

    public byte[] toLine() {
        return Json.line(g -> {
            g.writeStartObject();
            g.writeBooleanField("ok", error.isEmpty());
            if (error.isPresent()) {
                g.writeStringField("error", error.get().id());
                g.writeStringField("message", message);
            }
            if (status.isPresent()) {
                g.writeFieldName("status");
                StatusJson.write(status.get(), g);
            }
            if (!problems.isEmpty()) {
                g.writeArrayFieldStart("problems");
                for (String p : problems) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            if (reload.isPresent()) {
                reload.get().write(g);
            }
            g.writeEndObject();
        });
    }

    /** Reads what {@link #toLine()} wrote. */
    public static Response parse(byte[] line, int length) throws IOException {
        try (JsonParser p = Json.parser(line, length)) {
            StatusJson.expect(p, p.nextToken(), JsonToken.START_OBJECT);
            boolean ok = false;
            String error = null;
            String message = "";
            StatusReport status = null;
            List<String> problems = new ArrayList<>();
            ReloadReport.Reader reload = new ReloadReport.Reader();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (reload.read(field, p)) {
                    continue;
                }
                switch (field) {
                    case "problems" -> {
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            problems.add(p.getValueAsString());
                        }
                    }
                    case "ok" -> ok = p.getBooleanValue();
                    case "error" -> error = p.getValueAsString();
                    case "message" -> message = p.getValueAsString();
                    case "status" -> status = StatusJson.read(p);
                    default -> p.skipChildren();
                }
            }
            Optional<Error> failure = ok ? Optional.empty() : Optional.of(Error.of(error == null ? "" : error));
            return new Response(failure, message, Optional.ofNullable(status), reload.report(), problems);
        }
    }
}
