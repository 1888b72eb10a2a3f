/** Logs each lifecycle event as one line through SLF4J, as the original Carnival did. */
module carnival.logging {
    requires carnival.api;
    requires org.slf4j;

    provides dev.carnival.api.event.LifecycleListener with dev.carnival.plugins.logging.LoggingListener;
}
