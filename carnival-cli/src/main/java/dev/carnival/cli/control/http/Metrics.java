package dev.carnival.cli.control.http;

import dev.carnival.api.SupervisorStatus;
import dev.carnival.cli.control.StatusReport;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.ToLongFunction;

/**
 * {@code /metrics} through the Prometheus Java client: callback metrics read one status snapshot
 * per scrape, so every series of a scrape describes the same moment.
 */
final class Metrics {
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private static final List<String> RELOAD_RESULTS = List.of("applied", "invalid", "halted");
    private StatusReport current;

    /** @param reloads how many reloads ended with a result ({@code applied}, {@code invalid}, {@code halted}) */
    Metrics(ToLongFunction<String> reloads) {
        GaugeWithCallback.builder().name("carnival_replica_up")
                .help("1 when the replica's process is running, else 0").labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> cb.call(r.state().equals("running") ? 1 : 0, labels(r))))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_replica_ready")
                .help("1 when the replica runs and is ready, else 0").labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> cb.call(r.ready() ? 1 : 0, labels(r))))
                .register(registry);
        CounterWithCallback.builder().name("carnival_replica_restarts")
                .help("Restarts of the replica's process").labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> cb.call(r.restarts(), labels(r))))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_replica_last_exit_code")
                .help("Exit code of the replica's latest process (128+N when killed by signal N); absent before one ended")
                .labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> {
                    OptionalInt code = r.lastExit() == null ? OptionalInt.empty() : r.lastExit().asExitCode();
                    if (code.isPresent()) {
                        cb.call(code.getAsInt(), labels(r));
                    }
                }))
                .register(registry);
        CounterWithCallback.builder().name("carnival_replica_probe_failures")
                .help("Failed probes of the replica").labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> cb.call(r.probeFailures(), labels(r))))
                .register(registry);
        CounterWithCallback.builder().name("carnival_job_runs")
                .help("A scheduled job's firings by result: success, failure, or skipped (the last run still ran)")
                .labelNames("service", "replica", "result")
                .callback(cb -> current.replicas().stream().filter(r -> r.job() != null).forEach(r -> {
                    cb.call(r.job().successes(), r.service(), Integer.toString(r.replica()), "success");
                    cb.call(r.job().failures(), r.service(), Integer.toString(r.replica()), "failure");
                    cb.call(r.job().skipped(), r.service(), Integer.toString(r.replica()), "skipped");
                }))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_job_last_success_timestamp_seconds")
                .help("When a scheduled job's last successful run ended, in seconds since the epoch; absent before one")
                .labelNames("service", "replica")
                .callback(cb -> current.replicas().stream().filter(r -> r.job() != null && r.job().lastSuccess() != null)
                        .forEach(r -> cb.call(StatusReport.Job.epochSeconds(r.job().lastSuccess()), labels(r))))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_job_next_run_timestamp_seconds")
                .help("When a scheduled job fires next, in seconds since the epoch")
                .labelNames("service", "replica")
                .callback(cb -> current.replicas().stream().filter(r -> r.job() != null && r.job().nextRun() != null)
                        .forEach(r -> cb.call(StatusReport.Job.epochSeconds(r.job().nextRun()), labels(r))))
                .register(registry);
        CounterWithCallback.builder().name("carnival_replica_cpu_seconds")
                .help("CPU time (user and system) of the replica's process group, sampled every resource-period-ms")
                .labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> {
                    if (r.resources() != null) {
                        cb.call(r.resources().cpuSeconds(), labels(r));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_replica_memory_bytes")
                .help("Resident memory of the replica's process group at the latest sample")
                .labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> {
                    if (r.resources() != null) {
                        cb.call(r.resources().memoryBytes(), labels(r));
                    }
                }))
                .register(registry);
        CounterWithCallback.builder().name("carnival_replica_memory_restarts")
                .help("Times the replica was stopped for staying over its max-memory").labelNames("service", "replica")
                .callback(cb -> current.replicas().forEach(r -> cb.call(r.memoryRestarts(), labels(r))))
                .register(registry);
        GaugeWithCallback.builder().name("carnival_supervisor_phase")
                .help("1 for the supervisor's current phase, 0 for the others").labelNames("phase")
                .callback(cb -> {
                    for (SupervisorStatus.Phase p : SupervisorStatus.Phase.values()) {
                        cb.call(p.id().equals(current.phase()) ? 1 : 0, p.id());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("carnival_config_generation")
                .help("The config generation: 1 at start, one more for each reload that changed something")
                .callback(cb -> cb.call(current.generation()))
                .register(registry);
        CounterWithCallback.builder().name("carnival_reloads")
                .help("Reloads, by result: applied, invalid (the file had problems) or halted (a rollout halted)")
                .labelNames("result")
                .callback(cb -> {
                    for (String result : RELOAD_RESULTS) {
                        cb.call(reloads.applyAsLong(result), result);
                    }
                })
                .register(registry);
    }

    private static String[] labels(StatusReport.Row r) {
        return new String[] {r.service(), Integer.toString(r.replica())};
    }

    /** The text exposition of {@code report}. */
    synchronized byte[] scrape(StatusReport report) {
        current = report;
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
