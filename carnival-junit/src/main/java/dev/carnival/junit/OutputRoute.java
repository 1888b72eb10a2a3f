package dev.carnival.junit;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ReplicaId;
import java.util.List;

/**
 * Where the services' output goes while a test class runs, and how its last lines are read back
 * for a failure message. The seam between the extension and how output is captured: today
 * {@link FileOutput} (each process writes a file of its own); an implementation fed by the
 * supervisor's output listeners can replace it without touching the rest.
 */
interface OutputRoute {
    /** The config to run: {@code config} with each command's output sent to this route. */
    CarnivalConfig route(CarnivalConfig config);

    /** The last {@code count} lines {@code replica} wrote, oldest first. */
    List<String> lastLines(ReplicaId replica, int count);

    /** The last {@code count} lines of the init command at {@code index}, oldest first. */
    List<String> lastInitLines(int index, int count);

    /** Where {@code replica}'s output can be read in full, for people. */
    String whereIs(ReplicaId replica);

    /** Where the whole class's output can be read, for people. */
    String describe();
}
