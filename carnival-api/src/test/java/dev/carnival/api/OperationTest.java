package dev.carnival.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.Operation.Origin;
import dev.carnival.api.model.Signal;
import org.junit.jupiter.api.Test;

class OperationTest {

    @Test
    void describesWhatIsDoneAsEventsReportIt() {
        assertEquals("stop", new Operation.Stop("web", Origin.API).describe());
        assertEquals("start", new Operation.Start("web/1", Origin.SOCKET).describe());
        assertEquals("restart", new Operation.Restart("web", Origin.API).describe());
        assertEquals("signal SIGHUP", new Operation.SendSignal("web", Signal.HUP, Origin.SOCKET).describe());
    }

    @Test
    void originsAreNamedInLowerCase() {
        assertEquals("api", Origin.API.id());
        assertEquals("socket", Origin.SOCKET.id());
    }

    @Test
    void everyPartIsRequired() {
        assertThrows(NullPointerException.class, () -> new Operation.Stop(null, Origin.API));
        assertThrows(NullPointerException.class, () -> new Operation.Restart("web", null));
        assertThrows(NullPointerException.class, () -> new Operation.SendSignal("web", null, Origin.API));
    }
}
