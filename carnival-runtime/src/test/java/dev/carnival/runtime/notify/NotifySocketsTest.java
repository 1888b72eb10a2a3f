package dev.carnival.runtime.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets, and the real systemd-notify as the sender. */
class NotifySocketsTest {
    private static final Path SYSTEMD_NOTIFY = Path.of("/usr/bin/systemd-notify");
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    /** Runs {@code command} with NOTIFY_SOCKET set; its exit code. */
    private static int run(Path socket, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(NotifySockets.VARIABLE, socket.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sender did not finish");
        return p.exitValue();
    }

    @Test
    void systemdNotifyReadyArrivesUnchanged() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_NOTIFY), "needs systemd-notify");
        BlockingQueue<NotifyMessage> got = new LinkedBlockingQueue<>();
        try (NotifySockets sockets = NotifySockets.create(tmp);
             NotifySockets.Endpoint e = sockets.open(-1, -1, (m, from) -> got.add(m))) {
            assertEquals(0, run(e.path(), SYSTEMD_NOTIFY.toString(), "--ready", "--status=warming up"));
            NotifyMessage m = got.poll(30, TimeUnit.SECONDS);
            assertEquals(new NotifyMessage(true, Optional.of("warming up")), m);
            assertEquals(0, run(e.path(), SYSTEMD_NOTIFY.toString(), "--status=serving"));
            assertEquals(new NotifyMessage(false, Optional.of("serving")), got.poll(30, TimeUnit.SECONDS));
        }
    }

    /**
     * The sender is known from the kernel's credentials and looked up while systemd-notify waits on
     * its barrier (the fd it passes is closed only after the message was taken): it belongs to the
     * shell that ran it, even when that shell has gone on.
     */
    @Test
    void theSenderIsTheProcessThatSentWhileItWaitsOnItsBarrier() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_NOTIFY), "needs systemd-notify");
        BlockingQueue<Sender> from = new LinkedBlockingQueue<>();
        try (NotifySockets sockets = NotifySockets.create(tmp);
             NotifySockets.Endpoint e = sockets.open(-1, -1, (m, sender) -> from.add(sender))) {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", SYSTEMD_NOTIFY + " --ready; exec sleep 30")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put(NotifySockets.VARIABLE, e.path().toString());
            Process shell = pb.start();
            try {
                Sender sender = from.poll(30, TimeUnit.SECONDS);
                assertTrue(sender != null && sender.belongsTo(shell.pid()), sender + " of " + shell.pid());
                assertFalse(sender.belongsTo(ProcessHandle.current().pid() + 1_000_000));
            } finally {
                shell.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void onlyItsOwnUserCanWrite() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_NOTIFY), "needs systemd-notify");
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root to switch users");
        BlockingQueue<NotifyMessage> got = new LinkedBlockingQueue<>();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x")); // as /tmp lets anyone pass
        try (NotifySockets sockets = NotifySockets.create(tmp);
             NotifySockets.Endpoint e = sockets.open(NOBODY, NOBODY, (m, from) -> got.add(m))) {
            assertEquals(NOBODY, Files.getAttribute(e.path(), "unix:uid"));
            assertEquals(NOBODY, Files.getAttribute(e.path().getParent(), "unix:uid"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(e.path())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(e.path().getParent())));
            assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(e.path().getParent().getParent())));

            List<String> as = List.of("setpriv", "--reuid=" + (NOBODY - 1), "--regid=" + (NOBODY - 1), "--clear-groups");
            assertNotEquals(0, run(e.path(), concat(as, SYSTEMD_NOTIFY.toString(), "--ready")), "another user sent");
            List<String> owner = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
            assertEquals(0, run(e.path(), concat(owner, SYSTEMD_NOTIFY.toString(), "--ready")));
            assertEquals(new NotifyMessage(true, Optional.empty()), got.poll(30, TimeUnit.SECONDS));
            assertTrue(got.isEmpty());
        }
    }

    @Test
    void closingRemovesTheSocketAndItsDirectory() throws Exception {
        Path path;
        Path root;
        try (NotifySockets sockets = NotifySockets.create(tmp)) {
            NotifySockets.Endpoint e = sockets.open(-1, -1, (m, from) -> { });
            path = e.path();
            root = path.getParent().getParent();
            assertTrue(Files.exists(path));
            e.close();
            assertFalse(Files.exists(path.getParent()));
            sockets.open(-1, -1, (m, from) -> { }); // left for the close of all
        }
        assertFalse(Files.exists(root));
    }

    private static String[] concat(List<String> prefix, String... rest) {
        return java.util.stream.Stream.concat(prefix.stream(), java.util.Arrays.stream(rest)).toArray(String[]::new);
    }
}
