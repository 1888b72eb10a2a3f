package dev.carnival.api.reload;

import java.util.Locale;

/** What a reload does to one service; {@link #id()} is the word the plan prints and its JSON carries. */
public enum ReloadAction {
    /** A new service: started respecting its {@code depends-on}. */
    ADD,
    /** A service no longer in the config: stopped, dependents first. */
    REMOVE,
    /** Something its process is made from changed: its replicas are replaced (rolling or recreate). */
    RESTART,
    /** Only settings that apply without touching the process changed: the running pids stay. */
    UPDATE,
    /** Only {@code replicas} changed: replicas are added at the end or the highest indexes stopped. */
    SCALE,
    /** Unchanged. */
    NONE;

    /** The plan's word: {@code add}, {@code remove}, {@code restart}, {@code update}, {@code scale}, {@code none}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
