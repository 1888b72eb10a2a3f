package dev.carnival.cli;

import dev.carnival.api.Operation;
import dev.carnival.api.Supervisor;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.runtime.config.ListenAddress;
import dev.carnival.cli.control.ControlException;
import dev.carnival.cli.control.ConfigReader;
import dev.carnival.cli.control.ControlServer;
import dev.carnival.cli.control.Reloading;
import dev.carnival.cli.control.Operations;
import dev.carnival.runtime.logs.LogBuffers;
import dev.carnival.cli.control.http.HttpEndpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code carnival} command's doors to its supervisor: the control socket and, when
 * {@code http-listen} is set, the HTTP endpoint. Open before the supervisor starts, close after
 * it stopped.
 */
public final class ControlPlane implements AutoCloseable {
    /** Where the socket is when Carnival runs as PID 1 and neither the config nor the environment says. */
    public static final Path CONTAINER_SOCKET = Path.of("/run/carnival.sock");
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    private final ControlServer socket;
    private final AutoCloseable http;

    private ControlPlane(ControlServer socket, AutoCloseable http) {
        this.socket = socket;
        this.http = http;
    }

    /**
     * The socket path: {@code configured} ({@code [global] control-socket}) if given, else
     * {@code CARNIVAL_CONTROL_SOCKET}, else {@link #CONTAINER_SOCKET} when PID 1; empty when off.
     */
    public static Optional<Path> socketPath(Optional<String> configured, Map<String, String> env, boolean pidOne) {
        String setting = configured.orElse(env.get("CARNIVAL_CONTROL_SOCKET"));
        if (setting == null || setting.isBlank()) {
            return pidOne ? Optional.of(CONTAINER_SOCKET) : Optional.empty();
        }
        return setting.equals("off") ? Optional.empty() : Optional.of(Path.of(setting));
    }

    /**
     * Opens what {@code global} and the environment ask for, for the {@code carnival} command's
     * supervisor, whose captured services' lines {@code logs} keeps; a reload goes through {@code reloading}.
     */
    public static ControlPlane open(GlobalConfig global, Map<String, String> env, Supervisor supervisor, LogBuffers logs,
                                    Reloading reloading) throws ControlException {
        Optional<Path> socket = socketPath(global.controlSocket(), env, ProcessHandle.current().pid() == 1);
        boolean asked = global.controlSocket().isPresent() || !env.getOrDefault("CARNIVAL_CONTROL_SOCKET", "").isBlank();
        return open(socket, asked, global.httpListen().map(ListenAddress::parse), supervisor,
                Operation.Origin.SOCKET, logs, reloading);
    }

    /**
     * Opens what is given. The HTTP classes are reached only through this method's
     * {@code http-listen} branch, so without it they are never loaded.
     */
    public static ControlPlane open(Optional<Path> socketPath, Optional<ListenAddress> httpListen, Supervisor supervisor,
                                    Operation.Origin origin) throws ControlException {
        return open(socketPath, true, httpListen, supervisor, origin, new LogBuffers(Map.of()),
                Reloading.of(supervisor, ConfigReader.NONE));
    }

    private static ControlPlane open(Optional<Path> socketPath, boolean socketAsked, Optional<ListenAddress> httpListen,
                                     Supervisor supervisor, Operation.Origin origin, LogBuffers logs,
                                     Reloading reloading)
            throws ControlException {
        ControlServer socket = null;
        if (socketPath.isPresent()) {
            try {
                socket = ControlServer.open(socketPath.get(), new Operations(supervisor, origin, logs, reloading));
                LOG.info("Control socket: {}", socketPath.get());
            } catch (ControlException e) {
                if (socketAsked) {
                    throw e;
                }
                // The PID 1 default, nobody asked for it: an image without a writable /run still runs.
                LOG.warn("{}; running without a control socket (set [global] control-socket to choose a path)", e.getMessage());
            }
        }
        AutoCloseable http = null;
        if (httpListen.isPresent()) {
            try {
                http = startHttp(httpListen.get(), supervisor);
            } catch (ControlException e) {
                if (socket != null) {
                    socket.close();
                }
                throw e;
            }
            LOG.info("HTTP endpoint: http://{}/ (livez, readyz, status, metrics)", httpListen.get());
        }
        return new ControlPlane(socket, http);
    }

    private static AutoCloseable startHttp(ListenAddress address, Supervisor supervisor) throws ControlException {
        return HttpEndpoint.start(address.host(), address.port(), supervisor);
    }

    @Override
    public void close() {
        if (http != null) {
            try {
                http.close();
            } catch (Exception e) {
                LOG.debug("Closing the HTTP endpoint: {}", e.toString());
            }
        }
        if (socket != null) {
            socket.close();
        }
    }
}
