package dev.carnival.runtime.notify;

import dev.carnival.runtime.process.linux.DatagramReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * sd_notify sockets for replicas that announce readiness ({@code [service.readiness] notify =
 * true}): one datagram socket per replica, its path given to the replica as {@code NOTIFY_SOCKET}.
 *
 * <p>Who can write: sending to a Unix socket needs write permission on its file and search
 * permission on the directories above it. Each socket lies alone in a directory of its own, both
 * owned by the replica's user with mode 0700 and 0600, under a directory of Carnival's with mode
 * 0711 (others may pass through it, not list it). So only that user (and root) can send to it.
 * The socket is bound, then its modes and owners are set, and only then is its path handed out.
 */
public final class NotifySockets implements AutoCloseable {
    /** The variable sd_notify clients read. */
    public static final String VARIABLE = "NOTIFY_SOCKET";

    private final Path root;
    private final DatagramReceiver receiver = new DatagramReceiver();
    private final AtomicInteger next = new AtomicInteger();

    private NotifySockets(Path root) {
        this.root = root;
    }

    /**
     * Makes Carnival's directory for them, a new one under {@code parent} (e.g. {@code /tmp});
     * short, since a socket's path has at most 107 bytes.
     */
    public static NotifySockets create(Path parent) throws IOException {
        Path root = Files.createTempDirectory(parent, "carnival-notify-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        return new NotifySockets(root);
    }

    /** One replica's socket; closing it removes it. */
    public final class Endpoint implements AutoCloseable {
        private final Path dir;
        private final Path path;
        private final DatagramReceiver.Socket socket;

        private Endpoint(Path dir, Path path, DatagramReceiver.Socket socket) {
            this.dir = dir;
            this.path = path;
            this.socket = socket;
        }

        /** The value of {@link #VARIABLE} for the replica. */
        public Path path() {
            return path;
        }

        @Override
        public void close() {
            socket.close();
            delete(dir);
        }
    }

    /** Where a socket's messages go, with the process that sent each. */
    @FunctionalInterface
    public interface Receiver {
        void received(NotifyMessage message, Sender sender);
    }

    /**
     * Opens a socket that only {@code uid}/{@code gid} (or, with {@code uid} -1, Carnival's own
     * user) can write to; each message it receives that {@linkplain NotifyMessage#says says
     * something} goes to {@code messages} with its {@link Sender}, on the receiving thread, which
     * it must not block.
     */
    public Endpoint open(int uid, int gid, Receiver messages) throws IOException {
        Path dir = root.resolve(Integer.toString(next.incrementAndGet()));
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path path = dir.resolve("notify");
        DatagramReceiver.Socket socket = null;
        try {
            socket = receiver.bind(path, datagram -> {
                NotifyMessage m = NotifyMessage.parse(datagram.bytes());
                if (m.says()) {
                    messages.received(m, Sender.of(datagram.senderPid()));
                }
            });
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            if (uid >= 0) {
                for (Path p : new Path[] {path, dir}) {
                    Files.setAttribute(p, "unix:gid", gid);
                    Files.setAttribute(p, "unix:uid", uid);
                }
            }
            return new Endpoint(dir, path, socket);
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            delete(dir);
            throw e;
        }
    }

    /** Closes every socket and removes Carnival's directory. */
    @Override
    public void close() {
        receiver.close();
        delete(root);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            if (Files.exists(dir)) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
