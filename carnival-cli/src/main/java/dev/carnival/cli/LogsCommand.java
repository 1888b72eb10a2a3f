package dev.carnival.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.carnival.cli.control.ControlClient;
import dev.carnival.cli.control.Json;
import dev.carnival.cli.control.Request;
import dev.carnival.cli.control.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code carnival logs [-f] [-n N] [--timestamps] [NAME[/INDEX]...]}: prints the lines the
 * supervisor keeps of its captured services as {@code name[replica] | line} (a later piece of a
 * long line with {@code +}), in the order they were written, bytes as the service wrote them.
 */
final class LogsCommand {
    private LogsCommand() {}

    /** What {@code logs} was asked for on the command line. */
    record Options(boolean follow, int lines, boolean timestamps, List<String> targets) {}

    /**
     * Runs one {@code logs} against {@code socket}.
     *
     * @return the exit code: 0 done (or the supervisor stopped while following), 2 unknown or not
     *         captured, 4 no supervisor, 1 the supervisor failed
     */
    static int run(Options options, Path socket, PrintStream out, PrintStream err) {
        Request request = new Request(Request.Op.LOGS, options.targets(), java.util.Optional.empty(),
                new Request.Logs(options.lines(), options.follow()));
        try (ControlClient client = ControlClient.connect(socket)) {
            client.write(request);
            Line line = new Line();
            while (true) {
                byte[] bytes;
                try {
                    bytes = client.nextLine();
                } catch (IOException e) {
                    return done(out, 0); // the supervisor went away while we followed it
                }
                if (bytes == null) {
                    return done(out, 0);
                }
                line.read(bytes, client.length());
                if (line.ok != null) {
                    out.flush();
                    if (line.ok) {
                        return 0;
                    }
                    err.println("carnival: " + line.message);
                    return line.error.equals(Response.Error.FAILED.id()) ? 1 : 2;
                }
                if (line.lost > 0) {
                    out.flush();
                    err.println("carnival: " + line.lost + " line" + (line.lost == 1 ? "" : "s")
                            + " lost here: this client fell behind the supervisor's buffer");
                    continue;
                }
                if (options.timestamps()) {
                    out.write(line.time.getBytes(StandardCharsets.US_ASCII), 0, line.time.length());
                    out.write(' ');
                }
                byte[] head = (line.service + "[" + line.replica + "]" + (line.continued ? " + " : " | "))
                        .getBytes(StandardCharsets.UTF_8);
                out.write(head, 0, head.length);
                out.write(line.bytes.toByteArray(), 0, line.bytes.size());
                out.write('\n');
                if (options.follow()) {
                    out.flush();
                    if (out.checkError()) {
                        return 0; // nobody reads our stdout any more (| head): done
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("carnival: no supervisor answers at " + socket + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            return ControlCommand.EXIT_NO_SUPERVISOR;
        }
    }

    private static int done(PrintStream out, int code) {
        out.flush();
        return code;
    }

    /** One line of the answer, reused. */
    private static final class Line {
        Boolean ok;
        String error = "";
        String message = "";
        long lost;
        String time = "";
        String service = "";
        long replica;
        boolean continued;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void read(byte[] line, int length) throws IOException {
            ok = null;
            lost = 0;
            continued = false;
            bytes.reset();
            try (JsonParser p = Json.parser(line, length)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not a JSON object: " + new String(line, 0, length, StandardCharsets.UTF_8));
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "ok" -> ok = p.getBooleanValue();
                        case "error" -> error = p.getValueAsString();
                        case "message" -> message = p.getValueAsString();
                        case "lost" -> lost = p.getLongValue();
                        case "time" -> time = p.getValueAsString();
                        case "service" -> service = p.getValueAsString();
                        case "replica" -> replica = p.getLongValue();
                        case "continued" -> continued = p.getBooleanValue();
                        case "line" -> unescape(p.getText(), bytes);
                        default -> p.skipChildren();
                    }
                }
            }
        }
    }

    /** The bytes a JSON line's text stands for: U+DC80..U+DCFF alone are the bytes that were not UTF-8. */
    static void unescape(String text, ByteArrayOutputStream into) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c >= 0xdc80 && c <= 0xdcff) {
                into.write(c & 0xff);
            } else if (c < 0x80) {
                into.write(c);
            } else {
                into.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
