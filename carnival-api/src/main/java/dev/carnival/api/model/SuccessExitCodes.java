package dev.carnival.api.model;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code success-exit-codes}: the exit codes that mean a run succeeded. A code 128 + N also
 * matches death by signal N, the shell's convention ({@link ExitStatus#asExitCode()}): so
 * {@code [0, 143]} covers both a JVM that exits 143 on SIGTERM and a process SIGTERM killed.
 *
 * @param codes each 0 to 255, at least one, in ascending order
 */
public record SuccessExitCodes(Set<Integer> codes) {
    /** The default: only 0. */
    public static final SuccessExitCodes DEFAULT = of(0);

    /** Rejects an empty set and codes outside 0 to 255; keeps the codes sorted. */
    public SuccessExitCodes {
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("success-exit-codes must name at least one code");
        }
        for (int c : codes) {
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException("an exit code is 0 to 255, got " + c);
            }
        }
        codes = Collections.unmodifiableSet(new TreeSet<>(codes));
    }

    /** These codes. */
    public static SuccessExitCodes of(Integer... codes) {
        return new SuccessExitCodes(Set.of(codes));
    }

    /** Whether {@code status} counts as success. */
    public boolean test(ExitStatus status) {
        return codes.contains(status.asExitCode());
    }
}
