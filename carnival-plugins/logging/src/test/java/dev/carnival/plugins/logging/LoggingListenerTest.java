package dev.carnival.plugins.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoggingListenerTest {
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
