package dev.carnival.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    private static final Map<String, String> BASE = Map.of("PATH", "/bin", "HOME", "/root", "X", "base");

    @Test
    void behavesAsTheMapItDescribes() {
        Environment env = Environment.of(BASE).with("X", "mine").with("NEW", "1").with("NEW", "2");
        Map<String, String> expected = new HashMap<>(BASE);
        expected.put("X", "mine");
        expected.put("NEW", "2");
        assertEquals(expected, env);
        assertEquals(expected, new HashMap<>(env));
        assertEquals(expected.hashCode(), env.hashCode());
        assertEquals(4, env.size());
        assertEquals(4, env.entrySet().size());
        assertEquals("mine", env.get("X"));
        assertEquals("2", env.get("NEW"));
        assertEquals("/bin", env.get("PATH"));
        assertNull(env.get("MISSING"));
        assertTrue(env.containsKey("NEW"));
        assertFalse(env.containsKey("MISSING"));
    }

    @Test
    void encodesEveryEntryOnceAsExecveWantsThem() {
        Environment base = Environment.of(Map.of("PATH", "/bin", "X", "base", "LANG", "sv_SE.UTF-8", "U", "\u00e5=1"));
        Environment first = base.with("X", "mine").with("NEW", "1");
        Environment second = base.with("NEW", "2");
        for (Environment env : List.of(first, second)) {
            List<String> entries = env.encoded().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            List<String> expected = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            assertEquals(expected, entries);
        }
        assertTrue(first.encoded().stream().anyMatch(b -> Arrays.equals(b, "U=\u00e5=1".getBytes(StandardCharsets.UTF_8))));
        // The base's bytes are made once and shared by every environment made from it.
        byte[] pathOfFirst = first.encoded().stream().filter(b -> b[0] == 'P').findFirst().orElseThrow();
        byte[] pathOfSecond = second.encoded().stream().filter(b -> b[0] == 'P').findFirst().orElseThrow();
        assertSame(pathOfFirst, pathOfSecond);
    }

    @Test
    void withLeavesTheOriginalUnchanged() {
        Environment a = Environment.of(BASE).with("A", "1");
        Environment b = a.with("A", "2").with("B", "3");
        assertEquals("1", a.get("A"));
        assertFalse(a.containsKey("B"));
        assertEquals(4, a.size());
        assertEquals("2", b.get("A"));
        assertEquals(5, b.size());
    }

    @Test
    void isImmutableAndCopiesAMutableBase() {
        Map<String, String> mutable = new HashMap<>(BASE);
        Environment env = Environment.of(mutable);
        mutable.put("LATER", "x");
        assertFalse(env.containsKey("LATER"));
        assertThrows(UnsupportedOperationException.class, () -> env.put("A", "b"));
        assertThrows(UnsupportedOperationException.class, () -> env.entrySet().clear());
        assertThrows(NullPointerException.class, () -> env.with("A", null));
    }

    @Test
    void aSpawnRequestKeepsItWithoutCopying() {
        Environment env = Environment.of(BASE).with("A", "1");
        assertSame(env, new SpawnRequest(List.of("true"), env, null).environment());
    }
}
