package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** examples/kubernetes: the manifest's probes, port, config mount and grace period agree with the config it runs. */
class KubernetesExampleIT {
    private static final Path EXAMPLE = Path.of(System.getProperty("carnival.examples", "../examples")).resolve("kubernetes");

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object here = node;
        for (String key : path) {
            here = key.matches("\\d+") ? ((List<Object>) here).get(Integer.parseInt(key)) : ((Map<String, Object>) here).get(key);
        }
        return (T) here;
    }

    @Test
    void manifestMatchesItsConfig() throws Exception {
        Load yaml = new Load(LoadSettings.builder().build());
        Object deployment = yaml.loadFromString(Files.readString(EXAMPLE.resolve("deployment.yaml")));
        Object kustomization = yaml.loadFromString(Files.readString(EXAMPLE.resolve("kustomization.yaml")));
        TomlParseResult config = Toml.parse(EXAMPLE.resolve("carnival.toml"));
        assertTrue(config.errors().isEmpty(), config.errors().toString());

        String listen = config.getString("global.http-listen");
        int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        assertEquals("0.0.0.0", listen.substring(0, listen.lastIndexOf(':')), "reachable from the kubelet");

        Object pod = at(deployment, "spec", "template", "spec");
        Object container = at(pod, "containers", "0");
        assertEquals("/livez", at(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/readyz", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals(port, (int) at(container, "livenessProbe", "httpGet", "port"));
        assertEquals(port, (int) at(container, "readinessProbe", "httpGet", "port"));
        assertEquals(port, (int) at(container, "ports", "0", "containerPort"));
        assertEquals(null, (Object) at(container, "lifecycle"), "no preStop hook: Carnival drains and stops gracefully by itself");

        long grace = ((Number) at(pod, "terminationGracePeriodSeconds")).longValue();
        long shutdown = config.getLong("global.shutdown-timeout-ms");
        long drain = config.getLong("global.drain-ms");
        assertTrue(grace * 1000 > drain + shutdown,
                "terminationGracePeriodSeconds " + grace + " s above drain-ms + shutdown-timeout-ms " + (drain + shutdown));
        long readyPeriod = ((Number) at(container, "readinessProbe", "periodSeconds")).longValue();
        long readyFailures = ((Number) at(container, "readinessProbe", "failureThreshold")).longValue();
        assertTrue(readyPeriod * readyFailures * 1000 < drain,
                "the kubelet sees /readyz fail (" + readyPeriod * readyFailures + " s) within drain-ms " + drain);

        String mount = at(container, "volumeMounts", "0", "mountPath");
        String configFile = at(container, "env", "0", "value");
        assertEquals("CARNIVAL_CONFIG_TOML", at(container, "env", "0", "name"));
        assertEquals(mount + "/carnival.toml", configFile);
        String configMap = at(pod, "volumes", "0", "configMap", "name");
        assertEquals(configMap, at(kustomization, "configMapGenerator", "0", "name"));
        assertEquals(List.of("carnival.toml"), at(kustomization, "configMapGenerator", "0", "files"));
        assertTrue(Files.readString(Path.of(System.getProperty("carnival.dist.dir", ".")).resolve("Dockerfile")).contains("/opt/carnival/bin/carnival"),
                "the image is carnival-dist/Dockerfile's");
    }

    @Test
    void itsConfigChecksClean() {
        try (CarnivalProcess c = CarnivalProcess.run(EXAMPLE, "check", "-c", "carnival.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }
}
