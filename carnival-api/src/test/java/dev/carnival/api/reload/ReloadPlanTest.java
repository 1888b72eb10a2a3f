package dev.carnival.api.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.LogFormat;
import dev.carnival.api.model.Monitoring;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReloadTriggers;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReloadPlanTest {
    private static final ServiceConfig WEB = ServiceConfig.builder("web", "sleep").args("100").replicas(2).build();
    private static final ServiceConfig DB = ServiceConfig.builder("db", "sleep").args("100").build();

    private static ReloadPlan plan(List<ServiceConfig> before, List<ServiceConfig> after) {
        return ReloadPlan.between(new CarnivalConfig(GlobalConfig.DEFAULT, List.of(), before),
                new CarnivalConfig(GlobalConfig.DEFAULT, List.of(), after));
    }

    private static ServiceChange only(ReloadPlan p, String name) {
        return p.of(name).orElseThrow();
    }

    @Test
    void anIdenticalConfigChangesNothing() {
        ReloadPlan p = plan(List.of(WEB, DB), List.of(WEB, DB));
        assertEquals(List.of(ReloadAction.NONE, ReloadAction.NONE), p.services().stream().map(ServiceChange::action).toList());
        assertTrue(p.empty());
    }

    @Test
    void newAndMissingServicesAreAddedAndRemoved() {
        ReloadPlan p = plan(List.of(WEB, DB), List.of(WEB, ServiceConfig.builder("cache", "sleep").build()));
        assertEquals(List.of("web:none", "cache:add", "db:remove"),
                p.services().stream().map(c -> c.service() + ":" + c.action().id()).toList());
        assertEquals(0, only(p, "cache").replicasBefore());
        assertEquals(0, only(p, "db").replicasAfter());
    }

    @Test
    void whatTheProcessIsMadeOfRestartsIt() {
        ServiceConfig moved = ServiceConfig.builder("web", "sleep").args("200").replicas(2).build();
        ServiceChange c = only(plan(List.of(WEB), List.of(moved)), "web");
        assertEquals(ReloadAction.RESTART, c.action());
        assertEquals(List.of("args"), c.changed());

        ServiceConfig env = ServiceConfig.builder("web", "sleep").args("100").replicas(2).env(Map.of("A", "1")).build();
        assertEquals(List.of("env"), only(plan(List.of(WEB), List.of(env)), "web").changed());

        ServiceConfig out = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .build();
        assertEquals(ReloadAction.RESTART, only(plan(List.of(WEB), List.of(out)), "web").action());
    }

    @Test
    void supervisionSettingsUpdateInPlace() {
        ServiceConfig tuned = ServiceConfig.builder("web", "sleep").args("100").replicas(2).restart("always")
                .stopTimeout(Duration.ofSeconds(3)).dependsOn(Map.of("db", Condition.STARTED)).build();
        ServiceChange c = only(plan(List.of(WEB, DB), List.of(tuned, DB)), "web");
        assertEquals(ReloadAction.UPDATE, c.action());
        assertEquals(List.of("restart", "stop-timeout-ms", "depends-on"), c.changed());
    }

    @Test
    void onlyTheReplicaCountScales() {
        ServiceConfig more = ServiceConfig.builder("web", "sleep").args("100").replicas(5).build();
        ServiceChange c = only(plan(List.of(WEB), List.of(more)), "web");
        assertEquals(ReloadAction.SCALE, c.action());
        assertEquals(2, c.replicasBefore());
        assertEquals(5, c.replicasAfter());
    }

    @Test
    void aProcessChangeWinsOverTheOthersAndListsThemAll() {
        ServiceConfig all = ServiceConfig.builder("web", "true").args("100").replicas(3).restart("always").build();
        ServiceChange c = only(plan(List.of(WEB), List.of(all)), "web");
        assertEquals(ReloadAction.RESTART, c.action());
        assertEquals(List.of("command", "restart", "replicas"), c.changed());
    }

    @Test
    void globalEnvironmentRestartsEveryServiceAndTheAddressesWaitForTheNextStart() {
        GlobalConfig before = GlobalConfig.DEFAULT;
        GlobalConfig after = new GlobalConfig(Duration.ofSeconds(3), false, Map.of("TZ", "UTC"),
                Optional.of("/tmp/x.sock"), Optional.of("127.0.0.1:9000"));
        ReloadPlan p = ReloadPlan.between(new CarnivalConfig(before, List.of(), List.of(WEB, DB)),
                new CarnivalConfig(after, List.of(new InitCommand("true", List.of(), null, Map.of(), null, null)),
                        List.of(WEB, DB)));
        assertEquals(List.of(ReloadAction.RESTART, ReloadAction.RESTART),
                p.services().stream().map(ServiceChange::action).toList());
        assertEquals(List.of("[global] env"), only(p, "db").changed());
        assertEquals(List.of("init", "control-socket", "http-listen"), p.notApplied());
        assertTrue(p.shutdownTimeoutChanged());
        assertFalse(p.empty());
    }

    @Test
    void aScheduleIsAnUpdateUnlessTheServiceBecomesAJobOrStopsBeingOne() {
        ServiceConfig job = ServiceConfig.builder("web", "sleep").args("100").replicas(2).restart("no")
                .job(JobSpec.of("@daily")).build();
        ServiceConfig later = ServiceConfig.builder("web", "sleep").args("100").replicas(2).restart("no")
                .job(JobSpec.of("@weekly")).build();
        ServiceChange changed = only(plan(List.of(job), List.of(later)), "web");
        assertEquals(ReloadAction.UPDATE, changed.action());
        assertEquals(List.of("schedule"), changed.changed());
        assertFalse(changed.remakesReplicas());

        ServiceConfig service = ServiceConfig.builder("web", "sleep").args("100").replicas(2).restart("no").build();
        ServiceChange becomes = only(plan(List.of(service), List.of(job)), "web");
        assertEquals(ReloadAction.RESTART, becomes.action());
        assertEquals(List.of("schedule"), becomes.changed());
        assertTrue(becomes.remakesReplicas());
        assertTrue(only(plan(List.of(job), List.of(service)), "web").remakesReplicas());
    }

    @Test
    void readinessFromTheProcessOrItsOutputIsARestartAProbeAnUpdate() {
        ServiceConfig probed = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .readiness(ProbeSpec.of("exec", List.of("true"))).build();
        ServiceConfig plain = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .build();
        ServiceChange probe = only(plan(List.of(plain), List.of(probed)), "web");
        assertEquals(ReloadAction.UPDATE, probe.action());
        assertFalse(probe.remakesReplicas());

        ServiceConfig lines = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .readiness(ProbeSpec.logLine("listening")).build();
        ServiceConfig otherLine = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .readiness(ProbeSpec.logLine("ready")).build();
        ServiceConfig notify = ServiceConfig.builder("web", "sleep").args("100").replicas(2).output(OutputMode.PREFIX)
                .readiness(ProbeSpec.notifyReadiness()).build();
        for (List<ServiceConfig> pair : List.of(List.of(plain, lines), List.of(lines, otherLine), List.of(probed, notify),
                List.of(notify, plain))) {
            ServiceChange c = only(plan(List.of(pair.get(0)), List.of(pair.get(1))), "web");
            assertEquals(ReloadAction.RESTART, c.action(), pair.toString());
            assertEquals(List.of("readiness"), c.changed());
            assertTrue(c.remakesReplicas());
        }
    }

    @Test
    void globalSettingsReadAtStartAreListedAsNotAppliedTheOthersApply() {
        GlobalConfig a = GlobalConfig.DEFAULT;
        GlobalConfig b = new GlobalConfig(a.shutdownTimeout(), a.outputTimestamps(), a.env(), a.controlSocket(),
                a.httpListen(), new Monitoring(LogFormat.JSON, 10, Duration.ofSeconds(1)), Duration.ofSeconds(2),
                new ReloadTriggers(Optional.of(Signal.HUP), true));
        ReloadPlan p = ReloadPlan.between(new CarnivalConfig(a, List.of(), List.of(WEB)),
                new CarnivalConfig(b, List.of(), List.of(WEB)));
        assertEquals(List.of("log-format", "resource-period-ms", "reload-signal", "watch-config"), p.notApplied());
        assertEquals(List.of("drain-ms", "log-buffer-lines"), p.globalChanged());
        assertFalse(p.empty());
    }
}
