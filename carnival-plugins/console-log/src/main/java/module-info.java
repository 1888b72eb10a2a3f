/**
 * The SLF4J backend of the carnival command (its image has no other): each log call is one line
 * on stderr, {@code 2026-01-31 12:00:00 [INFO] message}, as slf4j-simple printed it with the
 * settings Carnival gave it, but without what slf4j-simple loads on its first call
 * (SimpleDateFormat, Calendar and locale data, a class-path resource scan). Embedders keep their
 * own backend: nothing else depends on this module.
 */
module carnival.console.log {
    requires org.slf4j;

    provides org.slf4j.spi.SLF4JServiceProvider with dev.carnival.plugins.consolelog.ConsoleLogProvider;
}
