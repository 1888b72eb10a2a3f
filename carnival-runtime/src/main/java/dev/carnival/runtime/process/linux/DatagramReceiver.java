package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.NativeUnavailableException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unix datagram sockets bound to paths, all read by one thread that poll(2)s them (the JDK's
 * {@code DatagramChannel} has no Unix-domain family, only its stream channels do). The thread
 * starts with the first socket. Who may send is decided by the socket file's owner and mode,
 * which the caller sets once {@link #bind} returns and before it tells anyone the path.
 */
public final class DatagramReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);
    /** sd_notify messages are short; a longer datagram is cut here (recv reports its full length). */
    private static final int MAX_DATAGRAM = 4096;

    /** One bound socket; closing it closes the fd (the path is the caller's to remove). */
    public final class Socket implements AutoCloseable {
        private final int fd;
        private final Consumer<byte[]> receiver;

        private Socket(int fd, Consumer<byte[]> receiver) {
            this.fd = fd;
            this.receiver = receiver;
        }

        /** The fd is closed by the receiving thread once it no longer polls it. */
        @Override
        public void close() {
            loop.remove(this);
        }
    }

    private final PollLoop<Socket> loop = new PollLoop<>("carnival-notify", s -> s.fd, new PollLoop.Handler<>() {
        @Override
        public boolean ready(Socket socket, short revents) {
            drain(socket);
            return true;
        }

        @Override
        public void release(Socket socket) {
            LibC.close(socket.fd);
        }
    });
    // Used by the loop's thread only; made when it first receives.
    private MemorySegment buffer;

    /**
     * Binds a new datagram socket to {@code path} (which must not exist) and hands each datagram
     * it receives to {@code receiver}, on the receiving thread, which it must not block.
     *
     * @throws IOException when the socket cannot be made or bound (the path's parent is missing,
     *                     the path exists or is longer than 107 bytes)
     * @throws NativeUnavailableException when libc cannot be called here
     */
    public Socket bind(Path path, Consumer<byte[]> receiver) throws IOException {
        LibC.ensureLoaded();
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= LibC.SOCKADDR_UN.byteSize() - LibC.SUN_PATH) {
            throw new IOException(path + ": a socket path is at most "
                    + (LibC.SOCKADDR_UN.byteSize() - LibC.SUN_PATH - 1) + " bytes, this is " + name.length);
        }
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket: " + Errno.describe(-fd));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(LibC.SOCKADDR_UN);
            Memory.setShort(address, 0, (short) LibC.AF_UNIX);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, address, LibC.SUN_PATH, name.length);
            int r = LibC.bind(fd, address, LibC.SUN_PATH + name.length + 1);
            if (r < 0) {
                LibC.close(fd);
                throw new IOException("bind " + path + ": " + Errno.describe(-r));
            }
        }
        Socket socket = new Socket(fd, receiver);
        if (!loop.add(socket)) {
            throw new IOException("the receiver is closed");
        }
        return socket;
    }

    /** Stops the thread and closes every socket. */
    @Override
    public void close() {
        loop.close();
    }

    /** Every datagram waiting on {@code socket}, each to its receiver. */
    private void drain(Socket socket) {
        if (buffer == null) {
            buffer = Arena.ofAuto().allocate(MAX_DATAGRAM);
        }
        while (true) {
            long got = LibC.recv(socket.fd, buffer, MAX_DATAGRAM);
            if (got == -Errno.EINTR) {
                continue;
            }
            if (got < 0) {
                return; // EAGAIN: nothing more
            }
            byte[] bytes = new byte[(int) Math.min(got, MAX_DATAGRAM)];
            MemorySegment.copy(buffer, 0, MemorySegment.ofArray(bytes), 0, bytes.length); // see Memory
            try {
                socket.receiver.accept(bytes);
            } catch (RuntimeException e) {
                LOG.warn("a datagram's receiver failed", e);
            }
        }
    }
}
