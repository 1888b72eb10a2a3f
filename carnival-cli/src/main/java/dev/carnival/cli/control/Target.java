package dev.carnival.cli.control;

import java.util.OptionalInt;

/**
 * What an operation applies to: a service ({@code web}) or one of its replicas ({@code web/1}),
 * as {@link dev.carnival.api.Supervisor} takes it.
 */
public record Target(String service, OptionalInt replica) {

    /**
     * Parses {@code NAME} or {@code NAME/INDEX}.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Target parse(String text) {
        int slash = text.lastIndexOf('/');
        if (slash < 0) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("empty service name");
            }
            return new Target(text, OptionalInt.empty());
        }
        String index = text.substring(slash + 1);
        if (slash == 0 || index.isEmpty() || !index.chars().allMatch(c -> c >= '0' && c <= '9') || index.length() > 9) {
            throw new IllegalArgumentException("'" + text + "' is not a service name or NAME/INDEX");
        }
        return new Target(text.substring(0, slash), OptionalInt.of(Integer.parseInt(index)));
    }

    boolean matches(String name, int index) {
        return service.equals(name) && (replica.isEmpty() || replica.getAsInt() == index);
    }

    @Override
    public String toString() {
        return replica.isPresent() ? service + "/" + replica.getAsInt() : service;
    }
}
