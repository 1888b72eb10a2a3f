/**
 * The {@code carnival} command: the command line, signal handling, the control socket (server and
 * client), {@code carnival status} and the HTTP endpoint. Everything that needs Jackson, the
 * Prometheus client, {@code jdk.httpserver} or {@code jdk.unsupported} lives here, so an embedder
 * of {@code carnival.runtime} pulls in none of them.
 */
module carnival.cli {
    requires carnival.runtime;
    requires org.slf4j;
    requires jdk.unsupported; // sun.misc.Signal: the only way to handle SIGTERM/SIGINT/SIGHUP in-process
    requires com.fasterxml.jackson.core;
    requires jdk.httpserver;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
}
