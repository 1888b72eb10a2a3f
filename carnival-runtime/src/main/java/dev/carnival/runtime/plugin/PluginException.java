package dev.carnival.runtime.plugin;

/** A plugin could not be loaded or conflicts with another; the message is one line naming it. */
public final class PluginException extends Exception {
    public PluginException(String message) {
        super(message);
    }
}
