package dev.carnival.runtime.logs;

/** {@link dev.carnival.testing.Await} under this package's name. */
final class Await extends dev.carnival.testing.Await {
    private Await() {}
}
