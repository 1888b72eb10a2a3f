package example.backoff;

import java.util.List;

/** Writes one flat JSON object, field by field, in the order given. No library needed for this. */
final class JsonObject {
    private final StringBuilder json = new StringBuilder("{");

    JsonObject string(String name, String value) {
        name(name);
        quote(json, value);
        return this;
    }

    JsonObject number(String name, long value) {
        name(name);
        json.append(value);
        return this;
    }

    JsonObject strings(String name, List<String> values) {
        name(name);
        json.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            quote(json, values.get(i));
        }
        json.append(']');
        return this;
    }

    /** The finished object. */
    String end() {
        return json.append('}').toString();
    }

    private void name(String name) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(json, name);
        json.append(':');
    }

    /**
     * Appends {@code s} as a JSON string (RFC 8259). Control characters (and U+2028/U+2029,
     * which some readers take as line ends) are escaped, so a value can never break the
     * one-object-per-line framing; so are lone surrogates, which have no UTF-8 form and would
     * otherwise be written as '?'. Everything else is written as is.
     */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append(String.format("\\u%04x", (int) c));
    }
}
