package dev.carnival.runtime.plugin;

/**
 * One discovered (or handed-in) plugin.
 *
 * @param kind   "config-source", "restart-policy" or "listener"
 * @param name   its name (format, policy name, or the listener's class)
 * @param module the module that provides it ("unnamed" on the class path)
 * @param origin where it came from: "built-in", "embedder", or the plugin jar's path
 */
public record Plugin<T>(String kind, String name, T provider, String module, String origin) {}
