package dev.carnival.runtime.process.linux;

import dev.carnival.api.model.ExitStatus;

/** Decodes the status word of waitpid(2), as the W* macros of glibc do. */
final class WaitStatus {
    private WaitStatus() {}

    /**
     * @throws IllegalArgumentException for a stopped or continued status, which we never ask
     *                                  for (no WUNTRACED, no WCONTINUED), so it means a bug
     */
    static ExitStatus decode(int status) {
        int low = status & 0x7f;
        if (low == 0) {
            return ExitStatus.exited((status >> 8) & 0xff);
        }
        if (low != 0x7f) { // bit 0x80 only says a core was dumped
            return ExitStatus.killed(low);
        }
        throw new IllegalArgumentException("not a termination status: 0x" + Integer.toHexString(status));
    }
}
