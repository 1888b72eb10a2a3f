package dev.carnival.runtime.process.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.runtime.process.Await;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.Reaping;
import dev.carnival.runtime.process.SpawnRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children held at the {@link ExecGate} get what was set on them there before their program
 * runs: the open-file limit the supervisor was started with, and their oom_score_adj; spawns
 * from many threads at once each get their own, and none is left waiting.
 */
class ExecGateTest {
    private static final Environment ENV = Environment.of(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));

    @TempDir
    Path tmp;

    private static long hardLimit() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String hard = line.split("\\s+")[4];
        return hard.equals("unlimited") ? -1 : Long.parseLong(hard);
    }

    @Test
    void childrenReadTheirOwnLimitAndScoreAsTheirProgramStarts() throws Exception {
        long hard = hardLimit();
        PosixSpawner spawner = new PosixSpawner();
        spawner.restoreNofile(new NofileLimit(97, hard));
        try (LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN, () -> spawner)) {
            List<CompletableFuture<ChildProcess>> spawns = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path out = tmp.resolve("out" + i);
                // What the program sees first thing, before anything else could change it.
                SpawnRequest request = new SpawnRequest(List.of("sh", "-c",
                        "{ ulimit -Sn; ulimit -Hn; cat /proc/self/oom_score_adj; } > " + out + ".tmp && mv " + out
                                + ".tmp " + out), ENV, null).withOomScoreAdj(300 + i);
                spawns.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return control.spawn(request);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (int i = 0; i < 20; i++) {
                ChildProcess child = spawns.get(i).get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(new ExitStatus.Exited(0), child.onExit().get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS));
                assertEquals("97\n" + (hard < 0 ? "unlimited" : Long.toString(hard)) + "\n" + (300 + i) + "\n",
                        Files.readString(tmp.resolve("out" + i)));
            }
        }
    }

    @Test
    void aSpawnThatFailsAtTheGateLeavesNothingWaiting() throws Exception {
        PosixSpawner spawner = new PosixSpawner();
        spawner.restoreNofile(new NofileLimit(97, hardLimit()));
        try (LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN, () -> spawner)) {
            for (int i = 0; i < 3; i++) {
                String error = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.carnival.runtime.process.SpawnException.class,
                        () -> control.spawn(new SpawnRequest(List.of("no-such-command-carnival"), ENV, null))).getMessage();
                assertEquals("no-such-command-carnival: command not found", error);
            }
            ChildProcess ok = control.spawn(new SpawnRequest(List.of("true"), ENV, null));
            assertEquals(new ExitStatus.Exited(0), ok.onExit().get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
