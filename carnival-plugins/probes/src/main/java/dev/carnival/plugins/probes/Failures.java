package dev.carnival.plugins.probes;

import java.util.concurrent.CompletionException;

/** A few words for why a check failed. */
final class Failures {
    private Failures() {}

    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
