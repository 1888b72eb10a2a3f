package dev.carnival.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.runtime.process.OomScore.Applied;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK fallback's oom_score_adj write, on real processes: skipped when inherited, a child gone at once is no warning. */
class OomScoreTest {
    @TempDir
    Path tmp;

    private static String adj(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/oom_score_adj")).strip();
    }

    @Test
    void aValueTheChildInheritsIsNotWrittenAnotherIs() throws Exception {
        OomScore score = OomScore.inherited();
        assertNull(score.forChild(score.own()));
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(Applied.UNCHANGED, score.apply(child.pid(), score.own(), "sleep"));
            int higher = Math.min(OomScore.MAX, score.own() + 1); // raising needs no privilege
            if (higher != score.own()) {
                assertEquals(Applied.WRITTEN, score.apply(child.pid(), higher, "sleep"));
                assertEquals(Integer.toString(higher), adj(child.pid()));
            }
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aChildThatHasExitedIsGoneAndALiveOneThatCannotBeWrittenIsRefused() throws Exception {
        OomScore score = OomScore.inherited();
        int other = score.own() == OomScore.MAX ? OomScore.MAX - 1 : OomScore.MAX;
        Process child = new ProcessBuilder("true").start();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        Await.until("pid " + child.pid() + " reaped", () -> !Files.exists(Path.of("/proc/" + child.pid())));
        assertFalse(OomScore.running(child.pid()));
        assertEquals(Applied.GONE, score.apply(child.pid(), other, "true"));
        // A write that fails (here: to a directory) for a process that runs is a refusal, whatever the error's text.
        long self = ProcessHandle.current().pid();
        assertTrue(OomScore.running(self));
        assertEquals(Applied.REFUSED, score.apply(self, tmp, other, "test"));
        assertEquals(Applied.GONE, score.apply(child.pid(), tmp, other, "true"));
    }

    @Test
    void aZombieHasExited() throws Exception {
        Path pidFile = tmp.resolve("pid");
        Path go = tmp.resolve("go");
        // sh's background child exits once told to; by then sh has become sleep, which never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "(while [ ! -e " + go + " ]; do sleep 0.01; done) & echo $! > "
                + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile + "; exec sleep 30").start();
        try {
            Await.until("pid file", () -> Files.exists(pidFile));
            Await.until("sh became sleep", () -> Await.read(Path.of("/proc/" + parent.pid() + "/comm"))
                    .map(c -> c.strip().equals("sleep")).orElse(false));
            Files.createFile(go);
            long zombie = Long.parseLong(Files.readString(pidFile).strip());
            Await.until("a zombie", () -> {
                try {
                    return Files.readString(Path.of("/proc/" + zombie + "/stat")).contains(") Z ");
                } catch (Exception e) {
                    return false;
                }
            });
            assertFalse(OomScore.running(zombie));
        } finally {
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
