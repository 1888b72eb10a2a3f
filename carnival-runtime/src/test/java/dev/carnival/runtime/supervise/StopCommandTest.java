package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.compose.ProcessControls;
import dev.carnival.runtime.process.Reaping;
import dev.carnival.runtime.process.SpawnRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: the stop command sees the main pid, the replica's variables and the working directory. */
class StopCommandTest {
    @TempDir
    Path dir;

    @Test
    void aServiceWithoutOneHasNone() {
        assertEquals(Optional.empty(), StopCommand.of(ServiceConfig.builder("s", "true").build()));
    }

    @Test
    void itStopsTheMainProcessWithItsEnvironmentAndDirectory() throws Exception {
        ServiceConfig s = ServiceConfig.builder("web", "sleep").args("60").workingDir(dir)
                .stopCommand(List.of("sh", "-c", "echo \"$CARNIVAL_MAIN_PID $WHO $(pwd)\" > seen.tmp && mv seen.tmp seen"
                        + " && kill -TERM \"$CARNIVAL_MAIN_PID\""))
                .build();
        StopCommand stop = StopCommand.of(s).orElseThrow();
        Environment env = Environment.of(Map.of("PATH", System.getenv("PATH"), "WHO", "replica-env"));
        try (ProcessControl control = ProcessControls.open(Reaping.OWN_CHILDREN)) {
            ChildProcess main = control.spawn(new SpawnRequest(s.commandLine(), env, dir));
            ChildProcess command = stop.start(new ReplicaId("web", 0), control, env, main.pid(), null, null).orElseThrow();
            assertEquals(ExitStatus.exited(0), command.onExit().get(30, TimeUnit.SECONDS));
            assertEquals(ExitStatus.killed(15), main.onExit().get(30, TimeUnit.SECONDS));
            assertEquals(main.pid() + " replica-env " + dir.toRealPath(), Files.readString(dir.resolve("seen")).strip());
        }
    }

    @Test
    void oneThatCannotStartIsEmptyAndLeavesTheProcessAlone() throws Exception {
        StopCommand stop = new StopCommand(List.of("carnival-no-such-stop-command"), null);
        Environment env = Environment.of(Map.of("PATH", System.getenv("PATH")));
        try (ProcessControl control = ProcessControls.open(Reaping.OWN_CHILDREN)) {
            ChildProcess main = control.spawn(new SpawnRequest(List.of("sleep", "60"), env, null));
            assertEquals(Optional.empty(), stop.start(new ReplicaId("web", 0), control, env, main.pid(), null, null));
            assertFalse(main.onExit().isDone(), "it must still run");
            main.signalGroup(dev.carnival.api.model.Signal.KILL);
            assertEquals(ExitStatus.killed(9), main.onExit().get(30, TimeUnit.SECONDS));
        }
    }
}
