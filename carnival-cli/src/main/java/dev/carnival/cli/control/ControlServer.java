package dev.carnival.cli.control;

import dev.carnival.runtime.logs.LogBuffers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix-domain socket, mode 0600, one JSON request and one JSON response per
 * line. Each connection has a virtual thread of its own, so a client that sends nothing holds
 * only that thread, until the idle timeout closes it; a client that does not read its answer is
 * disconnected once the answer has waited {@link #WRITE_TIMEOUT} to be written.
 *
 * <p>Running out of file descriptors is a passing condition: while accept fails for want of
 * one, a descriptor kept in reserve is given up to accept each waiting client and answer it with
 * an error, and the socket answers as usual again as soon as descriptors are free; both changes
 * are logged once.
 */
public final class ControlServer implements AutoCloseable {
    /** Longest request line, in bytes; a longer one gets an error and the connection is closed. */
    public static final int MAX_REQUEST = 64 * 1024;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long one answer may take to be written before its client is disconnected. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Between accepts while out of descriptors: each waiting client is answered, without spinning. */
    private static final long EXHAUSTED_PAUSE_MILLIS = 100;
    /** How long a client turned away for want of descriptors may take to send its request. */
    private static final Duration REFUSE_WAIT = Duration.ofSeconds(1);
    private static final Path RESERVE = Path.of("/dev/null");
    private static final int MAX_CONNECTIONS = 1024;
    /** Connections not yet accepted; past it a Unix socket refuses connect with EAGAIN (the default, 50, is too few for a burst of clients). */
    private static final int BACKLOG = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    private final Path path;
    private final Object fileKey;
    private final ServerSocketChannel server;
    private final Operations operations;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor idle = idleTimer();
    private final Thread acceptor;
    /** A descriptor to give up while out of them, so a waiting client can still be accepted and told; or null. */
    private final AtomicReference<FileChannel> reserve = new AtomicReference<>();
    private boolean exhausted;

    private static ScheduledThreadPoolExecutor idleTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("carnival-control-idle").unstarted(r));
        // Nearly every deadline is cancelled when its request is answered; kept until it would
        // have fired, each would outlive young collections and die in the old generation.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

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
            control.takeReserve();
            readyPoller();
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

    /**
     * Makes the JDK set up the poller that parks virtual threads on sockets, now, while
     * descriptors are free: it is made on first use, and made once; set up while out of
     * descriptors, its class initialisation fails for good, and every client after it with
     * NoClassDefFoundError.
     */
    private static void readyPoller() {
        try {
            parkOnce();
        } catch (IOException e) {
            LOG.warn("Control socket: cannot set up waiting for clients now ({}); a client may fail while out of"
                    + " file descriptors", e.getMessage());
        }
    }

    private static void parkOnce() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            Thread reader = Thread.ofVirtual().name("carnival-control-poller").start(() -> {
                try {
                    source.read(ByteBuffer.allocate(1)); // parks on the poller: nothing written yet
                } catch (IOException e) {
                    // the pipe is closed below
                }
            });
            // Written once the reader waits, so that its read had to park (bounded: a JDK that
            // blocks the carrier instead never shows WAITING, and needs no poller).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes a descriptor into reserve unless one is there; none while there is none to take. */
    private void takeReserve() {
        if (reserve.get() != null || !server.isOpen()) {
            return;
        }
        try {
            FileChannel taken = FileChannel.open(RESERVE);
            if (!reserve.compareAndSet(null, taken)) {
                closeQuietly(taken);
            }
        } catch (IOException e) {
            // still out of descriptors: the next turn tries again
        }
    }

    private void accept() {
        try {
            acceptClients();
        } finally {
            FileChannel r = reserve.getAndSet(null);
            if (r != null) {
                closeQuietly(r);
            }
        }
    }

    private void acceptClients() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!outOfDescriptors(e)) {
                    LOG.warn("Control socket {}: accept failed: {}", path, e.getMessage());
                    continue;
                }
                turnAway();
                continue;
            }
            takeReserve();
            admit(client);
        }
    }

    /** Serves a client accepted while descriptors are free. */
    private void admit(SocketChannel client) {
        if (exhausted) {
            exhausted = false;
            LOG.info("Control socket {}: file descriptors are free again; answering clients", path);
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            reply(client, Response.error(Response.Error.FAILED, "too many connections"));
            closeQuietly(client);
            return;
        }
        connections.add(client);
        Thread.ofVirtual().name("carnival-control-client").start(() -> serve(client));
    }

    private static boolean outOfDescriptors(IOException e) {
        // EMFILE and ENFILE; the JDK gives only strerror's text.
        return e.getMessage() != null && e.getMessage().startsWith("Too many open files");
    }

    /**
     * Out of descriptors: the reserve one is given up to accept a waiting client, which is told
     * so once it has sent its request (closing before would fail its write); the reserve is
     * taken back as that client goes. Without it a client waits in the backlog until a
     * descriptor is free.
     */
    private void turnAway() {
        if (!exhausted) {
            exhausted = true;
            LOG.warn("Control socket {}: out of file descriptors; clients get an error until some are free", path);
        }
        FileChannel r = reserve.getAndSet(null);
        if (r != null) {
            closeQuietly(r);
            try {
                // Linux takes the descriptor before it waits, so this may wait for the next client
                // long after: by then descriptors may be free again, and it is served as usual.
                SocketChannel client = server.accept();
                takeReserve();
                if (reserve.get() != null) {
                    admit(client);
                } else {
                    Thread.ofVirtual().name("carnival-control-refuse").start(() -> refuse(client));
                }
            } catch (IOException e) {
                takeReserve(); // still none below the limit, or the socket closed
            }
        } else {
            takeReserve(); // a client told earlier may have gone since
        }
        try {
            Thread.sleep(EXHAUSTED_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(SocketChannel client) {
        try {
            ScheduledFuture<?> timeout = idle.schedule(() -> closeQuietly(client), REFUSE_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                new LineReader(client, MAX_REQUEST).next();
            } catch (IOException e) {
                // no request (in time): told all the same, if it still listens
            } finally {
                timeout.cancel(false);
            }
            reply(client, Response.error(Response.Error.FAILED, "Carnival is out of file descriptors; try again"));
        } catch (RejectedExecutionException e) {
            // closing
        } finally {
            closeQuietly(client);
            takeReserve(); // its descriptor, before the acceptor hands it to the next client
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
                Request request;
                try {
                    request = Request.parse(line, in.length());
                } catch (Request.BadRequestException e) {
                    if (!reply(client, Response.error(Response.Error.BAD_REQUEST, e.getMessage()))) {
                        return;
                    }
                    continue;
                }
                if (request.op() == Request.Op.LOGS) {
                    Operations.Result<LogBuffers.Follower> follower = operations.logs(request);
                    if (follower.error() != null) {
                        reply(client, follower.error());
                    } else {
                        new LogStream(client).run(follower.value(), request.logs().follow());
                    }
                    return; // a stream of lines ends its connection
                }
                if (!reply(client, operations.answer(request))) {
                    return;
                }
            }
        } catch (LineReader.TooLongException e) {
            reply(client, Response.error(Response.Error.BAD_REQUEST, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RejectedExecutionException e) {
            // the client went away, or the idle timeout or close() closed it
        } finally {
            connections.remove(client);
            closeQuietly(client);
        }
    }

    /** Writes an answer; a client that has not taken it within {@link #WRITE_TIMEOUT} is disconnected. */
    private boolean reply(SocketChannel client, Response response) {
        ScheduledFuture<?> deadline;
        try {
            deadline = idle.schedule(() -> closeQuietly(client), WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return false; // closing
        }
        try {
            ByteBuffer out = ByteBuffer.wrap(response.toLine());
            while (out.hasRemaining()) {
                client.write(out);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(Channel channel) {
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
