package dev.carnival.cli.control;

import dev.carnival.api.Supervisor;
import dev.carnival.api.reload.ServiceOutcome;
import java.util.concurrent.ExecutionException;

/** The requests that change what runs: reload, scale and a rolling restart. */
final class Changes {
    private Changes() {}

    static Response answer(Request request, Supervisor supervisor, Reloading reloading) {
        try {
            return switch (request.op()) {
                case RELOAD -> reload(request.options().dryRun(), reloading);
                case SCALE -> {
                    supervisor.scale(request.targets().getFirst(), request.options().replicas()).get();
                    yield Response.done();
                }
                default -> roll(request, supervisor);
            };
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Response.error(cause instanceof IllegalArgumentException ? Response.Error.UNKNOWN_TARGET
                    : Response.Error.FAILED, Operations.message(cause));
        } catch (IllegalArgumentException e) {
            return Response.error(Response.Error.UNKNOWN_TARGET, Operations.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.error(Response.Error.FAILED, "interrupted: the supervisor is stopping");
        } catch (RuntimeException e) {
            return Response.error(Response.Error.FAILED, Operations.message(e));
        }
    }

    private static Response reload(boolean dryRun, Reloading reloading)
            throws ExecutionException, InterruptedException {
        return switch (reloading.reload(dryRun, "socket").get()) {
            case Reloading.Outcome.Invalid i -> Response.invalid(i.problems());
            case Reloading.Outcome.Planned p -> Response.reloaded(ReloadReport.planned(p.generation(), p.plan()));
            case Reloading.Outcome.Done d -> Response.reloaded(ReloadReport.of(d.result()));
        };
    }

    /** Each target, a service, rolled in turn; the first halt is the answer. */
    private static Response roll(Request request, Supervisor supervisor)
            throws ExecutionException, InterruptedException {
        for (String target : request.targets()) {
            if (target.contains("/")) {
                return Response.error(Response.Error.BAD_REQUEST, "restart --rolling takes services, not replicas ('"
                        + target + "')");
            }
        }
        for (String target : request.targets()) {
            ServiceOutcome outcome = supervisor.rollingRestart(target).get();
            if (outcome.halted().isPresent()) {
                return Response.error(Response.Error.FAILED, "rolling restart of " + target + " halted at "
                        + outcome.halted().get() + ": " + outcome.detail());
            }
        }
        return Response.done();
    }
}
