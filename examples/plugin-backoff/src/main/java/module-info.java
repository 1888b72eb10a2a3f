/**
 * An example Carnival plugin: the {@code failure-window} restart policy and a listener that
 * writes lifecycle events as JSON lines. Put its jar in a directory given to
 * {@code carnival --plugin-path}.
 */
module example.backoff {
    requires carnival.api;

    provides dev.carnival.api.restart.RestartPolicyProvider with example.backoff.FailureWindow;
    provides dev.carnival.api.event.LifecycleListener with example.backoff.JsonLinesListener;
}
