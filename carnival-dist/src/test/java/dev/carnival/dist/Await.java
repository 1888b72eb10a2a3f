package dev.carnival.dist;

/** {@link dev.carnival.testing.Await} under this package's name: the end-to-end tests' one way to wait. */
final class Await extends dev.carnival.testing.Await {
    private Await() {}
}
