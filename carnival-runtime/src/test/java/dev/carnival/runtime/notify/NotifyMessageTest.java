package dev.carnival.runtime.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifyMessageTest {

    private static NotifyMessage parse(String text) {
        return NotifyMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readyAndStatus() {
        assertEquals(new NotifyMessage(true, Optional.of("serving on :8080")),
                parse("READY=1\nSTATUS=serving on :8080\nMAINPID=42\n"));
    }

    @Test
    void otherAssignmentsAreReadPast() {
        NotifyMessage m = parse("WATCHDOG=1\nSTOPPING=1\nREADY=0\nBARRIER=1");
        assertEquals(new NotifyMessage(false, Optional.empty()), m);
        assertFalse(m.says());
        assertTrue(parse("READY=1").says());
    }

    @Test
    void theLastStatusWinsAndIsCleanedAndCut() {
        assertEquals(Optional.of("b c"), parse("STATUS=a\nSTATUS=b\tc").status());
        assertEquals(NotifyMessage.MAX_STATUS, parse("STATUS=" + "x".repeat(1000)).status().orElseThrow().length());
    }
}
