package dev.carnival.runtime.process;

/** {@link dev.carnival.testing.Await} under this package's name, for the tests here and in process.linux. */
public final class Await extends dev.carnival.testing.Await {
    private Await() {}
}
