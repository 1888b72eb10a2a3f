package dev.carnival.plugins.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.JobStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class LoggingListenerTest {
    private static final Instant AT = Instant.EPOCH;
    private static final ReplicaId WEB = new ReplicaId("web", 0);
    private static final List<String> COMMAND = List.of("sh", "-c", "exit 1");

    /** What the listener logged: each line's level and text. */
    private static class RecordingLogger extends LegacyAbstractLogger {
        record Line(Level level, String text) {}

        final List<Line> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments)));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    /** One event of each type. */
    private static List<LifecycleEvent> oneOfEach() {
        return List.of(
                new LifecycleEvent.SupervisorStarted(AT, "Linux native"),
                new LifecycleEvent.InitStarted(AT, 1, COMMAND),
                new LifecycleEvent.InitFinished(AT, 1, COMMAND, Duration.ofMillis(1234)),
                new LifecycleEvent.InitFailed(AT, 1, COMMAND, "exited with code 1"),
                new LifecycleEvent.PreflightFailed(AT, List.of("web: command not found")),
                new LifecycleEvent.NoServices(AT),
                new LifecycleEvent.ProcessStarted(AT, WEB, 42, 3),
                new LifecycleEvent.SpawnFailed(AT, WEB, "nope: command not found"),
                new LifecycleEvent.ProcessExited(AT, WEB, 42, ExitStatus.exited(1), Duration.ofSeconds(1)),
                new LifecycleEvent.StopEscalated(AT, "web[0]", Signal.TERM, Duration.ofSeconds(10), false),
                new LifecycleEvent.RestartScheduled(AT, WEB, 3, Duration.ofMillis(500)),
                new LifecycleEvent.ReplicaStopped(AT, WEB, StopReason.RESTART_LIMIT, "3"),
                new LifecycleEvent.DependencyWait(AT, WEB, List.of("db healthy")),
                new LifecycleEvent.DependencyFailed(AT, WEB, "db", "db[0] stopped"),
                new LifecycleEvent.ReadinessChanged(AT, WEB, true, ""),
                new LifecycleEvent.LivenessFailed(AT, WEB, 3, "connection refused"),
                new LifecycleEvent.MemoryLimitExceeded(AT, WEB, 612L << 20, 512L << 20, Duration.ofSeconds(30)),
                new LifecycleEvent.OperatorRequest(AT, "restart", "web", "socket"),
                new LifecycleEvent.ReloadApplied(AT, "socket", reload()),
                new LifecycleEvent.ReloadRejected(AT, "watch", List.of("c.toml:3:1: unknown key 'x'")),
                new LifecycleEvent.SignalForwarded(AT, Signal.HUP, 2),
                new LifecycleEvent.ShutdownRequested(AT, "signal SIGTERM"),
                new LifecycleEvent.JobResult(AT, WEB, JobStatus.Result.SUCCESS, java.util.Optional.of(AT)),
                new LifecycleEvent.Draining(AT, Duration.ofSeconds(5)),
                new LifecycleEvent.DrainCut(AT, "second signal SIGTERM"),
                new LifecycleEvent.ShutdownHastened(AT, "second SIGTERM"),
                new LifecycleEvent.ShutdownTimedOut(AT, Duration.ofSeconds(30), List.of("web[0]")),
                new LifecycleEvent.ShutdownIncomplete(AT, List.of("pid 42")),
                new LifecycleEvent.LeftoversStopped(AT, 2),
                new LifecycleEvent.InternalError(AT, "web[0]: boom"),
                new LifecycleEvent.SupervisorStopped(AT, 0));
    }

    /** web's args changed, db unchanged, worker added. */
    private static dev.carnival.api.reload.ReloadResult reload() {
        var global = new dev.carnival.api.model.GlobalConfig(Duration.ofSeconds(10), false);
        var db = dev.carnival.api.model.ServiceConfig.builder("db", "sleep").build();
        var before = new dev.carnival.api.model.CarnivalConfig(global, List.of(),
                List.of(dev.carnival.api.model.ServiceConfig.builder("web", "sleep").args("1").build(), db));
        var after = new dev.carnival.api.model.CarnivalConfig(global, List.of(),
                List.of(dev.carnival.api.model.ServiceConfig.builder("web", "sleep").args("2").build(), db,
                        dev.carnival.api.model.ServiceConfig.builder("worker", "sleep").build()));
        var plan = dev.carnival.api.reload.ReloadPlan.between(before, after);
        return new dev.carnival.api.reload.ReloadResult(2, plan, plan.services().stream()
                .map(c -> dev.carnival.api.reload.ServiceOutcome.done(c.service(), c.action())).toList());
    }

    @Test
    void aReloadIsOneLinePerChangedServiceThenItsOutcome() {
        assertEquals(List.of(new RecordingLogger.Line(Level.INFO, "Reload: restart web (args)"),
                new RecordingLogger.Line(Level.INFO, "Reload: add worker"),
                new RecordingLogger.Line(Level.INFO, "Reload (socket) applied: generation 2")),
                logged(new LifecycleEvent.ReloadApplied(AT, "socket", reload())));
    }

    private static List<RecordingLogger.Line> logged(LifecycleEvent... events) {
        RecordingLogger log = new RecordingLogger();
        LoggingListener listener = new LoggingListener(log);
        for (LifecycleEvent e : events) {
            listener.onEvent(e);
        }
        return log.lines;
    }

    @Test
    void everyEventTypeHasWordsOfItsOwn() {
        Set<Class<?>> sampled = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(LifecycleEvent.class.getPermittedSubclasses()), sampled,
                "oneOfEach() needs an event of every type, and LoggingListener words for it");
        for (LifecycleEvent e : oneOfEach()) {
            List<RecordingLogger.Line> lines = logged(e);
            assertFalse(lines.isEmpty(), "no line for " + e);
            // The last branch, for types without words of their own, logs the record as it is.
            lines.forEach(l -> assertNotEquals(e.toString(), l.text(), "no words of its own for " + e));
        }
    }

    @Test
    void linesAreWordedAsTheOriginalCarnivalsAre() {
        assertEquals(List.of(new RecordingLogger.Line(Level.INFO, "web[0] started with PID 42 (restart 3)")),
                logged(new LifecycleEvent.ProcessStarted(AT, WEB, 42, 3)));
        assertEquals(List.of(new RecordingLogger.Line(Level.INFO, "web[0] started with PID 42")),
                logged(new LifecycleEvent.ProcessStarted(AT, WEB, 42, 0)));
        assertEquals(List.of(new RecordingLogger.Line(Level.INFO, "Init command 1 finished in 1.23 seconds")),
                logged(new LifecycleEvent.InitFinished(AT, 1, COMMAND, Duration.ofMillis(1234))));
    }

    @Test
    void aMemoryLimitIsWordedAsTheIssueSays() {
        assertEquals(List.of(new RecordingLogger.Line(Level.WARN,
                "web[0] used 612 MiB, over max-memory 512 MiB for 30 s: stopping")),
                logged(new LifecycleEvent.MemoryLimitExceeded(AT, WEB, 612L << 20, 512L << 20, Duration.ofSeconds(30))));
    }

    @Test
    void eventsCarryTheirFactsAsFields() {
        assertEquals(Map.of("event", "process-exited", "service", "web", "replica", 0, "pid", 42L, "code", 1,
                "uptime_ms", 1000L), EventFields.of(new LifecycleEvent.ProcessExited(AT, WEB, 42, ExitStatus.exited(1),
                Duration.ofSeconds(1))));
        assertEquals(Map.of("event", "process-exited", "service", "web", "replica", 0, "pid", 42L, "signal", "SIGKILL",
                "uptime_ms", 0L), EventFields.of(new LifecycleEvent.ProcessExited(AT, WEB, 42, new ExitStatus.Killed(9),
                Duration.ZERO)));
        assertEquals(Map.of("event", "supervisor-stopped", "code", 3),
                EventFields.of(new LifecycleEvent.SupervisorStopped(AT, 3)));
        for (LifecycleEvent e : oneOfEach()) {
            assertEquals(EventFields.kebab(e.getClass().getSimpleName()), EventFields.of(e).get("event"));
        }
    }

    @Test
    void jsonFormatSendsTheFieldsAlongAndTheWordsStayTheSame() {
        List<String> pairs = new ArrayList<>();
        RecordingLogger log = new RecordingLogger() {
            @Override
            public org.slf4j.spi.LoggingEventBuilder atLevel(Level level) {
                return new org.slf4j.spi.DefaultLoggingEventBuilder(this, level) {
                    @Override
                    public org.slf4j.spi.LoggingEventBuilder addKeyValue(String key, Object value) {
                        pairs.add(key + "=" + value);
                        return this;
                    }
                };
            }
        };
        String before = System.getProperty(LoggingListener.FORMAT_PROPERTY);
        System.setProperty(LoggingListener.FORMAT_PROPERTY, "json");
        try {
            new LoggingListener(log).onEvent(new LifecycleEvent.ProcessStarted(AT, WEB, 42, 0));
        } finally {
            if (before == null) {
                System.clearProperty(LoggingListener.FORMAT_PROPERTY);
            } else {
                System.setProperty(LoggingListener.FORMAT_PROPERTY, before);
            }
        }
        assertEquals(List.of("event=process-started", "service=web", "replica=0", "pid=42", "restart_count=0"), pairs);
        assertEquals(List.of(new RecordingLogger.Line(Level.INFO, "web[0] started with PID 42")), log.lines);
    }

    @Test
    void aFailedExitIsAWarningExceptDuringShutdown() {
        LifecycleEvent exit = new LifecycleEvent.ProcessExited(AT, WEB, 42, ExitStatus.exited(1), Duration.ZERO);
        assertEquals(Level.WARN, logged(exit).getFirst().level());
        List<RecordingLogger.Line> lines = logged(new LifecycleEvent.ShutdownRequested(AT, "signal SIGTERM"), exit);
        assertEquals(Level.INFO, lines.get(1).level());
    }

    @Test
    void secondsHaveTwoDecimalsRoundedHalfUp() {
        assertEquals("0.00", LoggingListener.seconds(Duration.ZERO));
        assertEquals("0.00", LoggingListener.seconds(Duration.ofNanos(4_999_999)));
        assertEquals("0.01", LoggingListener.seconds(Duration.ofMillis(5)));
        assertEquals("0.10", LoggingListener.seconds(Duration.ofMillis(100)));
        assertEquals("1.23", LoggingListener.seconds(Duration.ofMillis(1234)));
        assertEquals("1.24", LoggingListener.seconds(Duration.ofMillis(1235)));
        assertEquals("60.00", LoggingListener.seconds(Duration.ofMillis(59_999)));
        assertEquals("3600.50", LoggingListener.seconds(Duration.ofMillis(3_600_500)));
    }
}
