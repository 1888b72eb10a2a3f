package dev.carnival.runtime.process;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.util.concurrent.CompletableFuture;

/** A started process, leader of its own process group. */
public interface ChildProcess {

    /** Its process id (also its process group id where groups are supported). */
    long pid();

    /** Completes once, when the process has exited and been reaped. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Sends {@code signal} to the process and everything in its process group (its children,
     * grandchildren...). Does nothing once it has been reaped.
     */
    void signalGroup(Signal signal);
}
