package example.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Supervisor;
import dev.carnival.junit.CarnivalExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same stack around a test class, through the published JUnit extension. */
class ConsumerStackTest {
    @RegisterExtension
    static CarnivalExtension carnival = CarnivalExtension.of(Path.of("consumer.toml"));

    @Test
    void theWorkerIsReadyBeforeTheFirstTest(Supervisor supervisor) {
        assertTrue(supervisor.status().replicas().getFirst().ready());
    }
}
