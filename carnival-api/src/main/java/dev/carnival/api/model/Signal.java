package dev.carnival.api.model;

import java.util.Locale;
import java.util.Optional;

/** POSIX signals with their Linux numbers (identical on x86_64 and aarch64). */
public enum Signal {
    /** Hangup: the controlling terminal closed; many daemons reload their configuration on it. */
    HUP(1),
    /** Interrupt from the keyboard (Ctrl-C). */
    INT(2),
    /** Quit from the keyboard (Ctrl-\); a JVM prints a thread dump. */
    QUIT(3),
    /** Illegal instruction. */
    ILL(4),
    /** Trace or breakpoint trap. */
    TRAP(5),
    /** Abort, as from {@code abort(3)}. */
    ABRT(6),
    /** Bus error: bad memory access. */
    BUS(7),
    /** Floating-point exception. */
    FPE(8),
    /** Kill: cannot be caught, blocked or ignored. */
    KILL(9),
    /** User-defined signal 1. */
    USR1(10),
    /** Invalid memory reference. */
    SEGV(11),
    /** User-defined signal 2. */
    USR2(12),
    /** Broken pipe: a write to a pipe with no reader. */
    PIPE(13),
    /** Timer signal from {@code alarm(2)}. */
    ALRM(14),
    /** Termination request: the default stop signal. */
    TERM(15),
    /** Stack fault on a coprocessor (unused on Linux). */
    STKFLT(16),
    /** A child stopped or ended. */
    CHLD(17),
    /** Continue if stopped. */
    CONT(18),
    /** Stop the process: cannot be caught, blocked or ignored. */
    STOP(19),
    /** Stop typed at the terminal (Ctrl-Z). */
    TSTP(20),
    /** Terminal input for a background process. */
    TTIN(21),
    /** Terminal output for a background process. */
    TTOU(22),
    /** Urgent condition on a socket. */
    URG(23),
    /** CPU time limit exceeded. */
    XCPU(24),
    /** File size limit exceeded. */
    XFSZ(25),
    /** Virtual alarm clock. */
    VTALRM(26),
    /** Profiling timer expired. */
    PROF(27),
    /** Window resize. */
    WINCH(28),
    /** I/O now possible. */
    IO(29),
    /** Power failure. */
    PWR(30),
    /** Bad system call. */
    SYS(31);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The signal number on Linux. */
    public int number() {
        return number;
    }

    /** The conventional name, such as {@code SIGTERM}. */
    public String signalName() {
        return "SIG" + name();
    }

    /** Looks a signal up by number. */
    public static Optional<Signal> ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses {@code "SIGTERM"}, {@code "TERM"}, {@code "term"} or {@code "15"}.
     *
     * @throws IllegalArgumentException naming the text when it is no known signal
     */
    public static Signal parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return ofNumber(Integer.parseInt(t)).orElseThrow(() -> unknown(text));
            } catch (NumberFormatException e) {
                throw unknown(text);
            }
        }
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw unknown(text);
        }
    }

    /** Describes any signal number, known or not: {@code SIGKILL} or {@code signal 64}. */
    public static String describe(int number) {
        return ofNumber(number).map(Signal::signalName).orElse("signal " + number);
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown signal '" + text + "'");
    }
}
