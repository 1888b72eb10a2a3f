package dev.carnival.runtime.process;

import dev.carnival.runtime.process.linux.LinuxProcessControl;

/**
 * Picks the best process control this machine supports: native on Linux (x86_64, aarch64), else
 * the JDK Process API. {@link ProcessControl#description()} says which, and why.
 */
public final class ProcessControls {
    private ProcessControls() {}

    /** Which implementation to use ({@code CARNIVAL_PROCESS_CONTROL}). */
    public enum Choice {
        /** Native where it loads, else the JDK fallback (the default). */
        AUTO,
        /** Native, or an error. */
        NATIVE,
        /** The JDK Process API fallback, even where native would load. */
        JDK;

        /** Parses {@code auto}, {@code native} or {@code jdk}. */
        public static Choice parse(String text) {
            return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "", "auto" -> AUTO;
                case "native" -> NATIVE;
                case "jdk" -> JDK;
                default -> throw new IllegalArgumentException(
                        "unknown process control '" + text + "' (choose auto, native or jdk)");
            };
        }
    }

    /** Opens the best process control: {@link #open(boolean, Choice)} with {@link Choice#AUTO}. */
    public static ProcessControl open(boolean reapOrphans) {
        return open(reapOrphans, Choice.AUTO);
    }

    /**
     * Opens process control.
     *
     * @param reapOrphans true for the command-line supervisor (PID 1 or child subreaper), which
     *                    must also reap orphaned descendants; false when embedded, where only
     *                    processes this supervisor started may be reaped
     * @throws NativeUnavailableException with {@link Choice#NATIVE} when native cannot load, saying why
     */
    public static ProcessControl open(boolean reapOrphans, Choice choice) {
        if (choice == Choice.JDK) {
            return new JdkProcessControl("chosen with CARNIVAL_PROCESS_CONTROL=jdk", reapOrphans);
        }
        try {
            return LinuxProcessControl.open(reapOrphans);
        } catch (NativeUnavailableException e) {
            if (choice == Choice.NATIVE) {
                throw new NativeUnavailableException("native process control is not available: " + e.getMessage(), e);
            }
            return new JdkProcessControl(e.getMessage(), reapOrphans);
        }
    }
}
