package dev.carnival.runtime.process;

/** Which exits a process control reaps: the one choice between the command and an embedder. */
public enum Reaping {
    /**
     * The {@code carnival} command (PID 1, or child subreaper): also every orphaned descendant
     * re-parented to it, never consuming a status that belongs to a managed child.
     */
    ORPHANS,
    /** Embedded in another program: only the processes this supervisor started. */
    OWN_CHILDREN
}
