package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void builderDefaultsMatchTheOriginal() {
        ServiceConfig s = ServiceConfig.builder("web", "python3").build();
        assertEquals("web", s.name());
        assertEquals("python3", s.command());
        assertEquals(List.of(), s.args());
        assertEquals(1, s.replicas());
        assertEquals("no", s.restart().policy());
        assertEquals(Map.of(), s.restart().options());
        assertEquals(Duration.ofMillis(1000), s.restartDelay());
        assertEquals(0, s.restartLimit());
        assertEquals(Duration.ofMillis(10_000), s.stopTimeout());
        assertEquals(Signal.TERM, s.stopSignal());
        assertNull(s.workingDir());
        assertFalse(s.critical());
    }

    @Test
    void builderSetsEveryField() {
        ServiceConfig s = ServiceConfig.builder("w", "sh")
                .args("-c", "true")
                .replicas(3)
                .restart(new RestartSpec("on-failure", Map.of("k", "v")))
                .restartDelay(Duration.ofMillis(5))
                .restartLimit(4)
                .stopTimeout(Duration.ofMillis(6))
                .stopSignal(Signal.INT)
                .workingDir(Path.of("/tmp"))
                .critical(true)
                .build();
        assertEquals(List.of("-c", "true"), s.args());
        assertEquals(3, s.replicas());
        assertEquals(new RestartSpec("on-failure", Map.of("k", "v")), s.restart());
        assertEquals(Duration.ofMillis(5), s.restartDelay());
        assertEquals(4, s.restartLimit());
        assertEquals(Duration.ofMillis(6), s.stopTimeout());
        assertEquals(Signal.INT, s.stopSignal());
        assertEquals(Path.of("/tmp"), s.workingDir());
        assertTrue(s.critical());
        assertEquals(List.of("sh", "-c", "true"), s.commandLine());
    }

    @Test
    void restartByNameHasNoOptions() {
        assertEquals(RestartSpec.of("always"), ServiceConfig.builder("a", "b").restart("always").build().restart());
    }

    @Test
    void rejectsBlankNameAndNegatives() {
        assertThrows(IllegalArgumentException.class, () -> ServiceConfig.builder(" ", "x").build());
        assertThrows(IllegalArgumentException.class, () -> ServiceConfig.builder("a", "x").replicas(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ServiceConfig.builder("a", "x").restartLimit(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.builder("a", "x").restartDelay(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.builder("a", "x").stopTimeout(Duration.ofMillis(-1)).build());
    }

    @Test
    void argsAreCopied() {
        java.util.ArrayList<String> args = new java.util.ArrayList<>(List.of("a"));
        ServiceConfig s = ServiceConfig.builder("a", "x").args(args).build();
        args.add("b");
        assertEquals(List.of("a"), s.args());
    }
}
