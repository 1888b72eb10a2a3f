package dev.carnival.cli.control;

import dev.carnival.api.Operation;
import dev.carnival.api.Supervisor;
import java.util.ArrayList;
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
    private final Reloading reloading;

    /** Reads status from {@code supervisor} and carries out operations on it, saying they come from {@code origin}. */
    public Operations(Supervisor supervisor, Operation.Origin origin) {
        this(supervisor, origin, Reloading.of(supervisor, ConfigReader.NONE));
    }

    /** As above; a reload goes through {@code reloading}. */
    public Operations(Supervisor supervisor, Operation.Origin origin, Reloading reloading) {
        this.supervisor = supervisor;
        this.origin = origin;
        this.reloading = reloading;
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
                    case STATUS, RELOAD, SCALE -> throw new AssertionError();
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
