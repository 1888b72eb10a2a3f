package dev.carnival.cli;

import dev.carnival.api.model.Signal;
import dev.carnival.cli.control.ControlClient;
import dev.carnival.cli.control.Json;
import dev.carnival.cli.control.ReloadReport;
import dev.carnival.cli.control.Request;
import dev.carnival.cli.control.Response;
import dev.carnival.cli.control.StatusJson;
import dev.carnival.cli.control.StatusReport;
import dev.carnival.cli.control.StatusTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client commands: {@code carnival status|stop|start|restart|signal ...}, talking to a running
 * supervisor over its control socket. Loads no config, no plugin and no process control, so it
 * starts as fast as {@code carnival --version}.
 */
final class ControlCommand {
    static final int EXIT_UNHEALTHY = 3;
    static final int EXIT_NO_SUPERVISOR = 4;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILED = 1;
    private static final Set<String> VERBS = Set.of("status", "stop", "start", "restart", "signal", "logs", "reload",
            "scale");
    // Text, not a Path: every start loads this class (start-up rules: StartupClassesIT in carnival-dist).
    private static final String DEFAULT_SOCKET = "/run/carnival.sock";

    private ControlCommand() {}

    /** True when {@code args} is a client command (its verb comes first). */
    static boolean handles(List<String> args) {
        return !args.isEmpty() && VERBS.contains(args.getFirst());
    }

    /** The socket a client talks to when {@code --socket} is not given. */
    static Path defaultSocket(Map<String, String> env) {
        String fromEnv = env.get("CARNIVAL_CONTROL_SOCKET");
        boolean unset = fromEnv == null || fromEnv.isBlank() || fromEnv.equals("off");
        return Path.of(unset ? DEFAULT_SOCKET : fromEnv);
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        String verb = args.getFirst();
        Request request;
        Path socket;
        boolean json = false;
        boolean follow = false;
        boolean timestamps = false;
        int lines = -1;
        boolean dryRun = false;
        boolean rolling = false;
        try {
            Optional<String> socketOption = Optional.empty();
            List<String> operands = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                String arg = args.get(i);
                boolean logs = verb.equals("logs");
                if (arg.equals("--json") && (verb.equals("status") || verb.equals("reload"))) {
                    json = true;
                } else if (arg.equals("--dry-run") && verb.equals("reload")) {
                    dryRun = true;
                } else if (arg.equals("--rolling") && verb.equals("restart")) {
                    rolling = true;
                } else if (logs && (arg.equals("-f") || arg.equals("--follow"))) {
                    follow = true;
                } else if (logs && arg.equals("--timestamps")) {
                    timestamps = true;
                } else if (logs && (arg.equals("-n") || arg.equals("--lines") || arg.startsWith("--lines="))) {
                    if (!arg.startsWith("--lines=") && i + 1 >= args.size()) {
                        throw new UsageException("option " + arg + " needs a number of lines");
                    }
                    lines = lineCount(arg.startsWith("--lines=") ? arg.substring("--lines=".length()) : args.get(++i));
                } else if (arg.equals("--socket") || arg.startsWith("--socket=")) {
                    if (socketOption.isPresent()) {
                        throw new UsageException("--socket given twice");
                    }
                    if (arg.equals("--socket") && i + 1 >= args.size()) {
                        throw new UsageException("option --socket needs a value");
                    }
                    socketOption = Optional.of(arg.equals("--socket") ? args.get(++i) : arg.substring("--socket=".length()));
                } else if (arg.equals("--")) {
                    operands.addAll(args.subList(i + 1, args.size()));
                    break;
                } else if (arg.startsWith("-") && !(verb.equals("signal") && operands.isEmpty() && isSignalWord(arg.substring(1)))) {
                    throw new UsageException("unknown option '" + arg + "' for " + verb);
                } else {
                    operands.add(arg);
                }
            }
            socket = socketOption.map(Path::of).orElseGet(() -> defaultSocket(env));
            if (verb.equals("logs")) {
                for (String target : operands) {
                    checkTarget(target);
                }
                return LogsCommand.run(new LogsCommand.Options(follow, lines, timestamps, operands), socket, out, err);
            }
            request = verb.equals("reload") || verb.equals("scale") || rolling
                    ? ChangeRequests.request(verb, operands, dryRun, rolling) : request(verb, operands);
        } catch (UsageException e) {
            err.println("carnival: " + e.getMessage() + " (see carnival --help)");
            return EXIT_USAGE;
        }

        Response response;
        try (ControlClient client = ControlClient.connect(socket)) {
            response = client.send(request);
        } catch (IOException | RuntimeException e) {
            err.println("carnival: no supervisor answers at " + socket + " (" + reason(e) + ")");
            return EXIT_NO_SUPERVISOR;
        }
        if (response.error().isPresent() && response.error().get() == Response.Error.INVALID_CONFIG) {
            response.problems().forEach(p -> err.println("carnival: " + p));
            err.println("carnival: " + response.message());
            return EXIT_USAGE;
        }
        if (response.error().isPresent()) {
            err.println("carnival: " + response.message());
            return response.error().get() == Response.Error.FAILED ? EXIT_FAILED : EXIT_USAGE;
        }
        if (request.op() == Request.Op.RELOAD) {
            ReloadReport report = response.reload().orElseThrow(() -> new IllegalStateException(
                    "reload response without a plan"));
            out.print(json ? new String(response.toLine(), StandardCharsets.UTF_8) : report.table());
            return report.result().equals("halted") ? EXIT_FAILED : 0;
        }
        if (request.op() != Request.Op.STATUS) {
            return 0;
        }
        StatusReport report = response.status().orElseThrow(() -> new IllegalStateException("status response without a status"));
        if (json) {
            out.print(new String(Json.line(g -> StatusJson.write(report, g)), StandardCharsets.UTF_8));
        } else {
            out.print(StatusTable.render(report));
        }
        return report.unhealthy().isEmpty() ? 0 : EXIT_UNHEALTHY;
    }

    private static Request request(String verb, List<String> operands) throws UsageException {
        Request.Op op = switch (verb) {
            case "status" -> Request.Op.STATUS;
            case "stop" -> Request.Op.STOP;
            case "start" -> Request.Op.START;
            case "restart" -> Request.Op.RESTART;
            default -> Request.Op.SIGNAL;
        };
        Optional<Signal> signal = Optional.empty();
        List<String> targets = operands;
        if (op == Request.Op.SIGNAL) {
            if (operands.isEmpty()) {
                throw new UsageException("signal needs a SIGNAL and at least one NAME");
            }
            String text = operands.getFirst().startsWith("-") ? operands.getFirst().substring(1) : operands.getFirst();
            try {
                signal = Optional.of(Signal.parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            targets = operands.subList(1, operands.size());
        }
        if (op != Request.Op.STATUS && targets.isEmpty()) {
            throw new UsageException(verb + " needs at least one NAME (a service, or NAME/INDEX for one replica)");
        }
        return new Request(op, targets, signal);
    }

    private static int lineCount(String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("-n needs a whole number of lines >= 0, got '" + text + "'");
    }

    /** A NAME or NAME/INDEX; the supervisor says whether it knows it. */
    private static void checkTarget(String target) throws UsageException {
        try {
            dev.carnival.cli.control.Target.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static boolean isSignalWord(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
