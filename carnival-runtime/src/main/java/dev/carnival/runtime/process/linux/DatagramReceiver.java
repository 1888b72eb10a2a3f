package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.NativeUnavailableException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unix datagram sockets bound to paths, all read by one thread that poll(2)s them (the JDK's
 * {@code DatagramChannel} has no Unix-domain family, only its stream channels do). The thread
 * starts with the first socket. Who may send is decided by the socket file's owner and mode,
 * which the caller sets once {@link #bind} returns and before it tells anyone the path; which
 * process sent is told with each datagram (the kernel's {@code SCM_CREDENTIALS}).
 */
public final class DatagramReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);
    /** sd_notify messages are short; a longer datagram is cut here (recv reports its full length). */
    private static final int MAX_DATAGRAM = 4096;
    /** Room for the sender's credentials and a few passed fds; more fds are closed by the kernel. */
    private static final int CONTROL_BYTES = 256;

    /** One datagram and the pid of the process that sent it (0 when the kernel did not say). */
    public record Datagram(byte[] bytes, int senderPid) {}

    /** One bound socket; closing it closes the fd (the path is the caller's to remove). */
    public final class Socket implements AutoCloseable {
        private final int fd;
        private final Consumer<Datagram> receiver;

        private Socket(int fd, Consumer<Datagram> receiver) {
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
    // Used by the loop's thread only; made when it first receives: the data, the control
    // messages, and the msghdr and iovec that point at them.
    private MemorySegment buffer;
    private MemorySegment control;
    private MemorySegment message;

    /**
     * Binds a new datagram socket to {@code path} (which must not exist) and hands each datagram
     * it receives to {@code receiver}, on the receiving thread, which it must not block. Fds a
     * sender passes along are closed once {@code receiver} has returned: sd_notify's barrier
     * ({@code systemd-notify} waits on one) keeps the sender alive until then, so the receiver
     * can still look at the process that sent.
     *
     * @throws IOException when the socket cannot be made or bound (the path's parent is missing,
     *                     the path exists or is longer than 107 bytes)
     * @throws NativeUnavailableException when libc cannot be called here
     */
    public Socket bind(Path path, Consumer<Datagram> receiver) throws IOException {
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
        int passCred = LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PASSCRED, 1);
        if (passCred < 0) {
            LibC.close(fd);
            throw new IOException("setsockopt SO_PASSCRED: " + Errno.describe(-passCred));
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
            Arena arena = Arena.ofAuto();
            buffer = arena.allocate(MAX_DATAGRAM);
            control = arena.allocate(CONTROL_BYTES, Long.BYTES);
            message = arena.allocate(LibC.MSGHDR);
            MemorySegment iov = arena.allocate(LibC.IOVEC);
            Memory.setLong(iov, 0, buffer.address());
            Memory.setLong(iov, Long.BYTES, MAX_DATAGRAM);
            Memory.setLong(message, LibC.MSG_IOV, iov.address());
            Memory.setLong(message, LibC.MSG_IOVLEN, 1);
            Memory.setLong(message, LibC.MSG_CONTROL, control.address());
        }
        while (true) {
            Memory.setLong(message, LibC.MSG_CONTROLLEN, CONTROL_BYTES); // the kernel sets what it used
            long got = LibC.recvmsg(socket.fd, message, LibC.MSG_CMSG_CLOEXEC);
            if (got == -Errno.EINTR) {
                continue;
            }
            if (got < 0) {
                return; // EAGAIN: nothing more
            }
            byte[] bytes = new byte[(int) Math.min(got, MAX_DATAGRAM)];
            MemorySegment.copy(buffer, 0, MemorySegment.ofArray(bytes), 0, bytes.length); // see Memory
            int pid = 0;
            List<Integer> fds = new ArrayList<>(0);
            long used = Memory.getLong(message, LibC.MSG_CONTROLLEN);
            for (long at = 0; at + LibC.CMSG_DATA <= used; ) {
                long length = Memory.getLong(control, at);
                if (length < LibC.CMSG_DATA || at + length > used) {
                    break;
                }
                if (Memory.getInt(control, at + LibC.CMSG_LEVEL) == LibC.SOL_SOCKET) {
                    int type = Memory.getInt(control, at + LibC.CMSG_TYPE);
                    if (type == LibC.SCM_CREDENTIALS) {
                        pid = Memory.getInt(control, at + LibC.CMSG_DATA); // struct ucred: pid, uid, gid
                    } else if (type == LibC.SCM_RIGHTS) {
                        for (long f = LibC.CMSG_DATA; f + Integer.BYTES <= length; f += Integer.BYTES) {
                            fds.add(Memory.getInt(control, at + f));
                        }
                    }
                }
                at += (length + Long.BYTES - 1) & -Long.BYTES;
            }
            try {
                socket.receiver.accept(new Datagram(bytes, pid));
            } catch (RuntimeException e) {
                LOG.warn("a datagram's receiver failed", e);
            } finally {
                fds.forEach(LibC::close);
            }
        }
    }
}
