/**
 * The supervisor engine, process control, config binding, plugin discovery and the command line.
 * Plugins are found with ServiceLoader only: this module names none of them.
 */
module carnival.runtime {
    requires transitive carnival.api;
    requires org.slf4j;
    requires jdk.unsupported; // sun.misc.Signal: the only way to handle SIGTERM/SIGINT/SIGHUP in-process
    requires com.fasterxml.jackson.core;
    requires jdk.httpserver;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires com.cronutils;

    uses dev.carnival.api.config.ConfigSource;
    uses dev.carnival.api.restart.RestartPolicyProvider;
    uses dev.carnival.api.probe.ProbeProvider;
    uses dev.carnival.api.event.LifecycleListener;

    provides dev.carnival.api.spi.SupervisorEngine with dev.carnival.runtime.supervise.Engine;
}
