package dev.carnival.api.model;

/** How a process ended: with an exit code, or killed by a signal. */
public sealed interface ExitStatus permits ExitStatus.Exited, ExitStatus.Killed {

    /** True when the process exited with code 0. */
    boolean success();

    /** The shell convention: the exit code, or 128 + signal number. */
    int asExitCode();

    /** Human text for logs: {@code exited with code 3} or {@code killed by SIGKILL}. */
    String describe();

    /** The process called exit (or returned from main) with {@code code}. */
    record Exited(int code) implements ExitStatus {
        @Override
        public boolean success() {
            return code == 0;
        }

        @Override
        public int asExitCode() {
            return code;
        }

        @Override
        public String describe() {
            return "exited with code " + code;
        }
    }

    /** The process was terminated by signal {@code signal}. */
    record Killed(int signal) implements ExitStatus {
        @Override
        public boolean success() {
            return false;
        }

        @Override
        public int asExitCode() {
            return 128 + signal;
        }

        @Override
        public String describe() {
            return "killed by " + Signal.describe(signal);
        }
    }

    /** The process exited with {@code code}. */
    static ExitStatus exited(int code) {
        return new Exited(code);
    }

    /** The process was killed by signal number {@code signal}. */
    static ExitStatus killed(int signal) {
        return new Killed(signal);
    }
}
