package dev.carnival.cli.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON factory (thread-safe) and the one way a document becomes a line of bytes. */
public final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    /** What writes one document. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** The document {@code body} writes, as UTF-8, followed by a newline. */
    public static byte[] line(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    public static JsonParser parser(byte[] bytes, int length) throws IOException {
        return FACTORY.createParser(bytes, 0, length);
    }
}
