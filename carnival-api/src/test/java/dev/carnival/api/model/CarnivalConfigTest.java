package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CarnivalConfigTest {

    @Test
    void rejectsDuplicateServiceNames() {
        ServiceConfig a = ServiceConfig.builder("web", "a").build();
        ServiceConfig b = ServiceConfig.builder("web", "b").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CarnivalConfig.of(a, b));
        assertEquals("duplicate service name 'web'", e.getMessage());
    }

    @Test
    void ofUsesDefaultsAndKeepsOrder() {
        ServiceConfig a = ServiceConfig.builder("a", "x").build();
        ServiceConfig b = ServiceConfig.builder("b", "x").build();
        CarnivalConfig c = CarnivalConfig.of(b, a);
        assertEquals(GlobalConfig.DEFAULT, c.global());
        assertEquals(java.time.Duration.ofMillis(10_000), c.global().shutdownTimeout());
        assertEquals(List.of(), c.init());
        assertEquals(List.of(b, a), c.services());
    }

    @Test
    void initCommandLine() {
        assertEquals(List.of("mkdir", "-p", "/data"), InitCommand.of("mkdir", "-p", "/data").commandLine());
    }

    @Test
    void replicaIdPrintsLikeTheLogs() {
        assertEquals("web[2]", new ReplicaId("web", 2).toString());
        assertThrows(IllegalArgumentException.class, () -> new ReplicaId("web", -1));
    }
}
