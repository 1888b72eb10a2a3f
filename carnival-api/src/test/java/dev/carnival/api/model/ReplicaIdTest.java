package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaIdTest {

    @Test
    void equalByServiceAndIndexAsAKey() {
        ReplicaId a = new ReplicaId("web", 1);
        ReplicaId same = new ReplicaId(new String("web"), 1);
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        Map<ReplicaId, String> map = new HashMap<>();
        map.put(a, "first");
        assertEquals("first", map.get(same));
    }

    @Test
    void differentServiceOrIndexIsAnotherReplica() {
        ReplicaId a = new ReplicaId("web", 1);
        assertNotEquals(a, new ReplicaId("web", 0));
        assertNotEquals(a, new ReplicaId("db", 1));
        assertNotEquals(a, null);
        assertNotEquals(a, (Object) "web[1]");
        assertEquals("web[1]", a.toString());
    }

    @Test
    void rejectsANullServiceAndANegativeIndex() {
        assertThrows(NullPointerException.class, () -> new ReplicaId(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaId("web", -1));
    }
}
