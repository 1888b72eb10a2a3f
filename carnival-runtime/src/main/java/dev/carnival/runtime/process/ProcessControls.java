package dev.carnival.runtime.process;

import dev.carnival.runtime.process.linux.LinuxProcessControl;
import dev.carnival.runtime.process.linux.NativeUnavailableException;

/**
 * Picks the best process control this machine supports: native on Linux (x86_64, aarch64), else
 * the JDK Process API. {@link ProcessControl#description()} says which, and why.
 */
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
        try {
            return LinuxProcessControl.open(reapOrphans);
        } catch (NativeUnavailableException e) {
            return new JdkProcessControl(e.getMessage());
        } catch (LinkageError | UnsupportedOperationException e) {
            // E.g. FFM refused by --illegal-native-access=deny, surfacing from class initialisation.
            return new JdkProcessControl(String.valueOf(e));
        }
    }
}
