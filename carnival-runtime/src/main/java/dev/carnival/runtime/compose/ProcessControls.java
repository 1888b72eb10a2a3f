package dev.carnival.runtime.compose;

import dev.carnival.runtime.process.JdkProcessControl;
import dev.carnival.runtime.process.NativeUnavailableException;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.Reaping;
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

    /**
     * Does ahead of {@link #open(Reaping, Choice)} what takes it longest (binding the native
     * calls), touching no logger; never throws (open reports what failed).
     */
    public static void prepare(Choice choice) {
        if (choice != Choice.JDK) {
            LinuxProcessControl.prepare();
        }
    }

    /** Opens the best process control: {@link #open(Reaping, Choice)} with {@link Choice#AUTO}. */
    public static ProcessControl open(Reaping reaping) {
        return open(reaping, Choice.AUTO);
    }

    /**
     * Opens process control.
     *
     * @param reaping which exits to reap
     * @throws NativeUnavailableException with {@link Choice#NATIVE} when native cannot load, saying why
     */
    public static ProcessControl open(Reaping reaping, Choice choice) {
        if (choice == Choice.JDK) {
            return new JdkProcessControl("chosen with CARNIVAL_PROCESS_CONTROL=jdk", reaping);
        }
        try {
            return LinuxProcessControl.open(reaping);
        } catch (NativeUnavailableException e) {
            if (choice == Choice.NATIVE) {
                throw new NativeUnavailableException("native process control is not available: " + e.getMessage(), e);
            }
            return new JdkProcessControl(e.getMessage(), reaping);
        }
    }
}
