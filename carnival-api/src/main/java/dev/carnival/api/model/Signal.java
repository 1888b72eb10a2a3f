package dev.carnival.api.model;

import java.util.Locale;
import java.util.Optional;

/** POSIX signals with their Linux numbers (identical on x86_64 and aarch64). */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ILL(4), TRAP(5), ABRT(6), BUS(7), FPE(8), KILL(9), USR1(10),
    SEGV(11), USR2(12), PIPE(13), ALRM(14), TERM(15), STKFLT(16), CHLD(17), CONT(18), STOP(19),
    TSTP(20), TTIN(21), TTOU(22), URG(23), XCPU(24), XFSZ(25), VTALRM(26), PROF(27), WINCH(28),
    IO(29), PWR(30), SYS(31);

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
