package dev.carnival.runtime.process;

/** Picks the best process control this machine supports. */
public final class ProcessControls {
    private ProcessControls() {}

    /**
     * Opens process control.
     *
     * @param reapOrphans true for the command-line supervisor (PID 1 or child subreaper), which
     *                    must also reap orphaned descendants; false when embedded, where only
     *                    processes this supervisor started may be reaped
     */
    public static ProcessControl open(boolean reapOrphans) {
        return new JdkProcessControl();
    }
}
