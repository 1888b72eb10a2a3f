package dev.carnival.plugins.probes;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.probe.ProbeResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code tcp = "host:port"}: success when a connection is accepted within the timeout. */
public final class TcpProbe implements ProbeProvider {

    /** One thread completes every tcp probe's connect; made on first use. */
    private static final class Group {
        static final AsynchronousChannelGroup INSTANCE = open();

        private static AsynchronousChannelGroup open() {
            try {
                return AsynchronousChannelGroup.withFixedThreadPool(1,
                        task -> Thread.ofPlatform().daemon().name("carnival-tcp-probe").unstarted(task));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public Probe create(ProbeOptions options) throws ConfigException {
        String text = options.target().isEmpty() ? "" : options.target().getFirst();
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(text.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new ConfigException(options.location(), "tcp probe needs \"host:port\" (port 1-65535), got '" + text + "'");
        }
        InetSocketAddress literal = literal(host, port);
        String name = host;
        int p = port;
        // A name is looked up at each check (it may move); off the timer thread, since lookups block.
        return literal != null
                ? context -> connect(literal)
                : context -> CompletableFuture.supplyAsync(() -> new InetSocketAddress(name, p),
                                runnable -> Thread.ofVirtual().start(runnable))
                        .thenCompose(TcpProbe::connect);
    }

    private static InetSocketAddress literal(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CompletionStage<ProbeResult> connect(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(ProbeResult.failure("cannot resolve " + address.getHostString()));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(Group.INSTANCE);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.failure(Failures.describe(e)));
        }
        // Connected, refused, cut at the timeout or stopped: the socket closes.
        result.whenComplete((r, e) -> close(channel));
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void attachment) {
                result.complete(ProbeResult.success("connected to " + address));
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                result.complete(ProbeResult.failure(Failures.describe(e)));
            }
        });
        return result;
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
