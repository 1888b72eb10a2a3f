/**
 * The supervisor engine, process control, config binding and plugin discovery: what an embedder
 * gets behind {@link dev.carnival.api.Carnival}, with nothing of the command line or the control
 * plane. Plugins are found with ServiceLoader only: this module names none of them. Its packages
 * are exported to the command line alone; embedders use the api.
 */
module carnival.runtime {
    requires transitive carnival.api;
    requires org.slf4j;
    requires com.cronutils;

    exports dev.carnival.runtime.compose to carnival.cli;
    exports dev.carnival.runtime.config to carnival.cli;
    exports dev.carnival.runtime.depend to carnival.cli;
    exports dev.carnival.runtime.logs to carnival.cli;
    exports dev.carnival.runtime.output to carnival.cli;
    exports dev.carnival.runtime.plugin to carnival.cli;
    exports dev.carnival.runtime.process to carnival.cli;
    exports dev.carnival.runtime.resources to carnival.cli;
    exports dev.carnival.runtime.schedule to carnival.cli;
    exports dev.carnival.runtime.reload to carnival.cli;
    exports dev.carnival.runtime.supervise to carnival.cli;

    uses dev.carnival.api.config.ConfigSource;
    uses dev.carnival.api.restart.RestartPolicyProvider;
    uses dev.carnival.api.probe.ProbeProvider;
    uses dev.carnival.api.event.LifecycleListener;

    provides dev.carnival.api.SupervisorEngine with dev.carnival.runtime.compose.Engine;
}
