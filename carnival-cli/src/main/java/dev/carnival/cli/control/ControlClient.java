package dev.carnival.cli.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** One connection to a supervisor's control socket. */
public final class ControlClient implements AutoCloseable {
    /** Large enough for the status of many thousand replicas. */
    private static final int MAX_RESPONSE = 64 * 1024 * 1024;

    private final SocketChannel channel;
    private final LineReader in;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new LineReader(channel, MAX_RESPONSE);
    }

    /** Connects; an IOException says no supervisor answers at {@code socket}. */
    public static ControlClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new ControlClient(channel);
    }

    /** Sends one request and waits for its response (an operation may take as long as its stop does). */
    public Response send(Request request) throws IOException {
        write(request);
        byte[] line = in.next();
        if (line == null) {
            throw new IOException("the supervisor closed the connection without an answer");
        }
        return Response.parse(line, in.length());
    }

    /** Sends a request whose answer is read with {@link #nextLine()} ({@code logs}). */
    public void write(Request request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request.toLine());
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** The next line of the answer without its newline, {@link #length()} bytes of it; null at the end. */
    public byte[] nextLine() throws IOException {
        return in.next();
    }

    /** The length of the line {@link #nextLine()} gave. */
    public int length() {
        return in.length();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
