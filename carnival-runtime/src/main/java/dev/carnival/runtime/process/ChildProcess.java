package dev.carnival.runtime.process;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.util.concurrent.CompletableFuture;

/** A started process, leader of its own process group. */
public interface ChildProcess {

    /** Its process id (also its process group id where groups are supported). */
    long pid();

    /**
     * Completes once, when the process has exited and been reaped. It may complete on the thread
     * that reaps every child: dependents that do more than wake a waiter must use the
     * {@code ...Async} methods, or they delay every other exit.
     */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Sends {@code signal} to the process and everything in its process group (its children,
     * grandchildren...). Once the process has been reaped, only a group that still has members
     * is signalled: an empty group's id may belong to someone else by then.
     */
    void signalGroup(Signal signal);

    /**
     * True when processes of its group are left after the process itself has exited (a grandchild
     * that outlived it). Implementations without process groups cannot tell, and say false.
     */
    default boolean groupRemains() {
        return false;
    }
}
