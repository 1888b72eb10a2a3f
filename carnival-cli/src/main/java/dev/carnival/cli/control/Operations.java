package dev.carnival.cli.control;

import dev.carnival.api.Operation;
import dev.carnival.api.Supervisor;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.runtime.logs.LogBuffers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Carries out {@link Request}s on a {@link Supervisor}. Every target is checked before anything
 * is done, so a request naming one unknown target changes nothing.
 */
public final class Operations {
    private final Supervisor supervisor;
    private final Operation.Origin origin;
    private final LogBuffers logs;
    private final Reloading reloading;

    /** Reads status from {@code supervisor} and carries out operations on it, saying they come from {@code origin}. */
    public Operations(Supervisor supervisor, Operation.Origin origin) {
        this(supervisor, origin, new LogBuffers(Map.of()), Reloading.of(supervisor, ConfigReader.NONE));
    }

    /** ... and reads {@code logs} from the captured services' buffers. */
    public Operations(Supervisor supervisor, Operation.Origin origin, LogBuffers logs) {
        this(supervisor, origin, logs, Reloading.of(supervisor, ConfigReader.NONE));
    }

    /** ... and a reload goes through {@code reloading}. */
    public Operations(Supervisor supervisor, Operation.Origin origin, LogBuffers logs, Reloading reloading) {
        this.supervisor = supervisor;
        this.origin = origin;
        this.logs = logs;
        this.reloading = reloading;
    }

    /**
     * A reader of the lines {@code request} (op {@code logs}) asks for, or the error to answer:
     * an unknown target, or a service whose output is not captured.
     */
    public Result<LogBuffers.Follower> logs(Request request) {
        StatusReport now = StatusReport.of(supervisor.status());
        Set<String> services = new LinkedHashSet<>();
        List<Target> targets = new ArrayList<>();
        try {
            for (String text : request.targets()) {
                Target t = known(Target.parse(text), now);
                if (!logs.services().contains(t.service())) {
                    return Result.error(Response.error(Response.Error.NOT_CAPTURED, "the output of '" + t.service()
                            + "' is not captured (output = \"inherit\"): set output = \"prefix\", \"raw\" or \"json\""
                            + " to keep its lines"));
                }
                services.add(t.service());
                targets.add(t);
            }
        } catch (IllegalArgumentException e) {
            return Result.error(Response.error(Response.Error.UNKNOWN_TARGET, e.getMessage()));
        }
        if (targets.isEmpty()) {
            if (logs.services().isEmpty()) {
                return Result.error(Response.error(Response.Error.NOT_CAPTURED, "no service's output is captured"
                        + " (all are output = \"inherit\"): set output = \"prefix\", \"raw\" or \"json\" to keep lines"));
            }
            services.addAll(logs.services());
        }
        Predicate<ReplicaId> chosen = targets.isEmpty() ? r -> true : r -> targets.stream().anyMatch(t ->
                t.service().equals(r.service()) && (t.replica().isEmpty() || t.replica().getAsInt() == r.index()));
        return Result.of(logs.follow(services, chosen, request.logs().lines()));
    }

    /** A value, or the error response to send instead. */
    public record Result<T>(T value, Response error) {
        static <T> Result<T> of(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> error(Response error) {
            return new Result<>(null, error);
        }
    }

    /** Answers one request line; never throws. */
    public Response answer(byte[] line, int length) {
        Request request;
        try {
            request = Request.parse(line, length);
        } catch (Request.BadRequestException e) {
            return Response.error(Response.Error.BAD_REQUEST, e.getMessage());
        }
        return answer(request);
    }

    public Response answer(Request request) {
        if (request.op() == Request.Op.RELOAD || request.op() == Request.Op.SCALE || request.options().rolling()) {
            return Changes.answer(request, supervisor, reloading);
        }
        StatusReport now = StatusReport.of(supervisor.status());
        List<Target> targets = new ArrayList<>();
        try {
            for (String text : request.targets()) {
                targets.add(known(Target.parse(text), now));
            }
        } catch (IllegalArgumentException e) {
            return Response.error(Response.Error.UNKNOWN_TARGET, e.getMessage());
        }
        if (request.op() == Request.Op.LOGS) {
            return Response.error(Response.Error.BAD_REQUEST, "op logs answers with a stream of lines, not one response");
        }
        if (request.op() == Request.Op.STATUS) {
            return Response.status(now.only(targets));
        }
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (Target t : targets) {
                String target = t.toString();
                running.add(supervisor.perform(switch (request.op()) {
                    case STOP -> new Operation.Stop(target, origin);
                    case START -> new Operation.Start(target, origin);
                    case RESTART -> new Operation.Restart(target, origin);
                    case SIGNAL -> new Operation.SendSignal(target, request.signal().orElseThrow(), origin);
                    case STATUS, LOGS, RELOAD, SCALE -> throw new AssertionError();
                }));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
            return Response.done();
        } catch (IllegalArgumentException e) {
            return Response.error(Response.Error.UNKNOWN_TARGET, e.getMessage());
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Response.error(cause instanceof IllegalArgumentException ? Response.Error.UNKNOWN_TARGET
                    : Response.Error.FAILED, message(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.error(Response.Error.FAILED, "interrupted: the supervisor is stopping");
        } catch (RuntimeException e) {
            return Response.error(Response.Error.FAILED, message(e));
        }
    }

    static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** {@code target} if the snapshot has it; else an IllegalArgumentException naming it. */
    private static Target known(Target target, StatusReport now) {
        Map<String, Integer> replicas = new TreeMap<>();
        for (StatusReport.Row r : now.replicas()) {
            replicas.merge(r.service(), 1, Integer::sum);
        }
        Integer count = replicas.get(target.service());
        if (count == null) {
            throw new IllegalArgumentException("unknown service '" + target.service() + "' (services: "
                    + String.join(", ", replicas.keySet()) + ")");
        }
        if (target.replica().isPresent() && target.replica().getAsInt() >= count) {
            throw new IllegalArgumentException("unknown replica '" + target + "' (" + target.service() + " has "
                    + (count == 1 ? "1 replica: 0)" : count + " replicas: 0 to " + (count - 1) + ")"));
        }
        return target;
    }
}
