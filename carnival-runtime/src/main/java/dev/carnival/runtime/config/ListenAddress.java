package dev.carnival.runtime.config;

/** {@code [global] http-listen}: {@code HOST:PORT}, with an IPv6 host in brackets ({@code [::]:8558}). */
public record ListenAddress(String host, int port) {

    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("must be HOST:PORT (e.g. \"0.0.0.0:8558\"), got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("must be HOST:PORT with an IPv6 host in brackets ([::]:8558), got '" + text + "'");
        }
        String port = text.substring(colon + 1);
        if (host.isBlank() || !port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("must be HOST:PORT with a port from 0 to 65535, got '" + text + "'");
        }
        return new ListenAddress(host, Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
