package dev.carnival.cli.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix-domain socket, mode 0600, one JSON request and one JSON response per
 * line. Each connection has a virtual thread of its own, so a client that sends nothing holds
 * only that thread, until the idle timeout closes it.
 */
public final class ControlServer implements AutoCloseable {
    /** Longest request line, in bytes; a longer one gets an error and the connection is closed. */
    public static final int MAX_REQUEST = 64 * 1024;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_CONNECTIONS = 1024;
    /** Connections not yet accepted; past it a Unix socket refuses connect with EAGAIN (the default, 50, is too few for a burst of clients). */
    private static final int BACKLOG = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    private final Path path;
    private final Object fileKey;
    private final ServerSocketChannel server;
    private final Operations operations;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("carnival-control-idle").unstarted(r));
    private final Thread acceptor;

    private ControlServer(Path path, Object fileKey, ServerSocketChannel server, Operations operations) {
        this.path = path;
        this.fileKey = fileKey;
        this.server = server;
        this.operations = operations;
        this.acceptor = Thread.ofPlatform().daemon().name("carnival-control").unstarted(this::accept);
    }

    /**
     * Binds the socket at {@code path} and starts serving. A socket file nobody answers at is
     * replaced; one where a supervisor answers, or a file that is no socket, is an error.
     */
    public static ControlServer open(Path path, Operations operations) throws ControlException {
        Path target = path.toAbsolutePath();
        refuseLive(target);
        // Bound in a directory of its own with mode 0700, given mode 0600 there, then renamed into
        // place: the socket is never reachable at its real path with a wider mode, whatever the
        // umask (chmod after bind at the real path would leave a window; the JDK has no umask call).
        Path dir;
        try {
            dir = Files.createTempDirectory(Objects.requireNonNull(target.getParent(), "parent"), ".carnival-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | RuntimeException e) {
            throw new ControlException("control socket " + path + ": cannot create a file in "
                    + target.getParent() + " (" + reason(e) + ")", e);
        }
        Path bound = dir.resolve("s");
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound), BACKLOG);
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, target, StandardCopyOption.ATOMIC_MOVE);
            Object key = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            ControlServer control = new ControlServer(path, key, server, operations);
            control.acceptor.start();
            return control;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new ControlException("control socket " + path + ": " + reason(e), e);
        } finally {
            try {
                Files.deleteIfExists(bound);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a leftover empty directory is harmless
            }
        }
    }

    private static void refuseLive(Path target) throws ControlException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Object mode = Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m && (m & 0170000) != 0140000) {
                throw new ControlException("control socket " + target + ": the path exists and is not a socket");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // cannot tell: try to connect, as for a socket
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            throw new ControlException("control socket " + target + ": another supervisor answers there");
        } catch (ConnectException stale) {
            // ECONNREFUSED: nobody listens, a leftover of a supervisor that died; open() replaces it
        } catch (IOException e) {
            // e.g. EACCES: someone else's socket, perhaps live; not ours to replace
            throw new ControlException("control socket " + target + ": cannot tell whether a supervisor answers there ("
                    + reason(e) + ")", e);
        }
    }

    private static String reason(Throwable e) {
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Where the socket is. */
    public Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("Control socket {}: accept failed: {}", path, e.getMessage());
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                reply(client, Response.error(Response.Error.FAILED, "too many connections"));
                closeQuietly(client);
                continue;
            }
            connections.add(client);
            Thread.ofVirtual().name("carnival-control-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        try {
            LineReader in = new LineReader(client, MAX_REQUEST);
            while (true) {
                ScheduledFuture<?> timeout = idle.schedule(() -> closeQuietly(client), IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                byte[] line;
                try {
                    line = in.next();
                } finally {
                    timeout.cancel(false);
                }
                if (line == null) {
                    return;
                }
                if (in.length() == 0) {
                    continue;
                }
                if (!reply(client, operations.answer(line, in.length()))) {
                    return;
                }
            }
        } catch (LineReader.TooLongException e) {
            reply(client, Response.error(Response.Error.BAD_REQUEST, e.getMessage()));
        } catch (IOException | RejectedExecutionException e) {
            // the client went away, or the idle timeout or close() closed it
        } finally {
            connections.remove(client);
            closeQuietly(client);
        }
    }

    private static boolean reply(SocketChannel client, Response response) {
        try {
            ByteBuffer out = ByteBuffer.wrap(response.toLine());
            while (out.hasRemaining()) {
                client.write(out);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Stops serving, closes every connection and removes the socket file if it is still ours. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        connections.forEach(ControlServer::closeQuietly);
        idle.shutdownNow();
        Path target = path.toAbsolutePath();
        try {
            if (Objects.equals(fileKey, Files.readAttributes(target, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey())) {
                Files.delete(target);
            }
        } catch (IOException e) {
            // gone already, or replaced by another supervisor's: not ours to remove
        }
    }
}
