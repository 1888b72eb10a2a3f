package dev.carnival.runtime.probe;

/** {@link dev.carnival.testing.Await} under this package's name. */
final class Await extends dev.carnival.testing.Await {
    private Await() {}
}
