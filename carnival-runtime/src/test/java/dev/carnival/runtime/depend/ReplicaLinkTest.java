package dev.carnival.runtime.depend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.ReadinessChanged;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.logs.LogLineWatch;
import dev.carnival.runtime.notify.NotifyMessage;
import dev.carnival.runtime.notify.Sender;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.process.Environment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Readiness from READY=1 and from a log line is said (ReadinessChanged) before the replica's
 * dependents are let go, once per run.
 */
class ReplicaLinkTest {
    private static final ReplicaId DB_0 = new ReplicaId("db", 0);
    private static final NotifyMessage READY = new NotifyMessage(true, Optional.empty());
    private static final long PID = 4242;
    /** A descendant of the replica's process, in its process group. */
    private static final Sender FROM_IT = new Sender(4343, PID, List.of(4343L, PID));
    /** Another process of the same user. */
    private static final Sender STRANGER = new Sender(5000, 5000, List.of(5000L, 1L));

    private final List<LifecycleEvent> events = new ArrayList<>();
    /** How many ReadinessChanged had been said when the dependent's gate opened; -1 while closed. */
    private int saidAtOpen = -1;

    private ReplicaLink link(ProbeSpec readiness, LogLineWatch lines) throws Exception {
        ServiceConfig db = ServiceConfig.builder("db", "true").readiness(readiness).output(OutputMode.RAW).build();
        CarnivalConfig config = CarnivalConfig.of(db,
                ServiceConfig.builder("web", "true").dependsOn(Map.of("db", Condition.READY)).build());
        Dependencies dependencies = new Dependencies(config, DependencyGraph.of(config, new SourceMap("c.toml", Map.of())));
        dependencies.gate("web").thenRun(() -> saidAtOpen = said().size());
        return new ReplicaLink(DB_0, db, ServiceProbes.NONE, dependencies, false, () -> {
            throw new AssertionError("no probe here");
        }, null, events::add, lines);
    }

    private List<ReadinessChanged> said() {
        return events.stream().filter(ReadinessChanged.class::isInstance).map(ReadinessChanged.class::cast).toList();
    }

    @Test
    void readyOneIsSaidBeforeTheDependentsGoAndOnlyOnce() throws Exception {
        ReplicaLink link = link(ProbeSpec.notifyReadiness(), null);
        link.started(Environment.of(Map.of()), PID, () -> { });
        link.notified(READY, FROM_IT);
        link.notified(READY, FROM_IT);
        assertEquals(1, saidAtOpen, events.toString());
        assertEquals(List.of(new ReadinessChanged(said().getFirst().at(), DB_0, true, "READY=1")), said());
        assertTrue(link.ready());
    }

    @Test
    void readyOneBeforeStartedCountsOnceStartedHasRun() throws Exception {
        ReplicaLink link = link(ProbeSpec.notifyReadiness(), null);
        link.notified(READY, FROM_IT);
        assertEquals(-1, saidAtOpen);
        link.started(Environment.of(Map.of()), PID, () -> { });
        assertEquals(1, saidAtOpen, events.toString());
        assertTrue(link.ready());
        link.exited(new ExitStatus.Exited(0));
        assertFalse(link.ready());
    }

    @Test
    void aMatchingLogLineIsSaidBeforeTheDependentsGo() throws Exception {
        LogLineWatch lines = new LogLineWatch("^up$");
        ReplicaLink link = link(ProbeSpec.logLine("^up$"), lines);
        link.started(Environment.of(Map.of()), PID, () -> { });
        byte[] up = "up".getBytes(StandardCharsets.UTF_8);
        lines.line(DB_0, StdStream.STDOUT, up, 0, up.length, 0, false);
        assertEquals(1, saidAtOpen, events.toString());
        assertEquals("a line matched log-line '^up$'", said().getFirst().detail());
    }

    @Test
    void aMessageFromAnotherProcessMakesNothingReadyBeforeOrAfterTheStart() throws Exception {
        ReplicaLink link = link(ProbeSpec.notifyReadiness(), null);
        link.notified(new NotifyMessage(true, Optional.of("early")), STRANGER);
        link.started(Environment.of(Map.of()), PID, () -> { });
        link.notified(new NotifyMessage(true, Optional.of("forged")), STRANGER);
        link.notified(READY, Sender.UNKNOWN);
        assertFalse(link.ready());
        assertEquals(Optional.empty(), link.notifyStatus());
        assertEquals(-1, saidAtOpen, events.toString());
        link.notified(new NotifyMessage(true, Optional.of("up")), FROM_IT);
        assertTrue(link.ready());
        assertEquals(Optional.of("up"), link.notifyStatus());
    }

    @Test
    void aSenderBelongsToAProcessItDescendsFromOrWhoseGroupItIsIn() {
        assertTrue(new Sender(PID, PID, List.of(PID, 100L)).belongsTo(PID), "the process itself");
        assertTrue(new Sender(9, 9, List.of(9L, 8L, PID, 100L)).belongsTo(PID), "a descendant in a group of its own");
        assertTrue(new Sender(9, PID, List.of(9L, 100L)).belongsTo(PID), "in its group, reparented");
        assertFalse(STRANGER.belongsTo(PID));
        assertFalse(Sender.UNKNOWN.belongsTo(PID));
        assertFalse(FROM_IT.belongsTo(0), "no process yet");
    }

    @Test
    void senderOfThisProcessIsReadFromProc() {
        long self = ProcessHandle.current().pid();
        Sender me = Sender.of(self);
        assertEquals(self, me.pid());
        assertTrue(me.belongsTo(self));
        assertTrue(me.lineage().contains(ProcessHandle.current().parent().orElseThrow().pid()));
        assertEquals(Sender.UNKNOWN, Sender.of(0));
    }
}
