package dev.carnival.api.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ServiceConfig;
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
}
