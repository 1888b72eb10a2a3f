package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.supervise.Wiring.Checks;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What runs before a supervisor's services: the check of the users they run as, the init commands,
 * then the check of their commands and directories (which the init commands may have made).
 */
record Preflight(Checks checks, ProcessControl control, Environment environment, InitRunner init,
                 Consumer<LifecycleEvent> events) {
    /** The exit code to end with, or empty when the services may start; {@code initBegins} runs before init. */
    OptionalInt run(Runnable initBegins) {
        List<String> users = control.runsAsOtherUsers() ? List.of() : checks.users();
        if (!users.isEmpty()) {
            events.accept(new LifecycleEvent.PreflightFailed(Instant.now(), users));
            return OptionalInt.of(ExitPolicy.CONFIG);
        }
        initBegins.run();
        if (!init.runAll()) {
            return OptionalInt.of(ExitPolicy.INIT_FAILED);
        }
        List<String> problems = checks.services(environment);
        if (!problems.isEmpty()) {
            events.accept(new LifecycleEvent.PreflightFailed(Instant.now(), problems));
            return OptionalInt.of(ExitPolicy.CONFIG);
        }
        return OptionalInt.empty();
    }
}
