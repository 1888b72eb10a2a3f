package dev.carnival.runtime.supervise;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.depend.ReplicaLink;
import dev.carnival.runtime.notify.NotifySockets;
import dev.carnival.runtime.process.Credentials;
import dev.carnival.runtime.process.ForService;
import dev.carnival.runtime.logs.CapturedOutput;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import java.util.concurrent.Executor;

/** Makes replicas, at start and when a reload or a scale adds some, and the setups a reload hands them. */
final class ReplicaMaker {
    private final EventSink events;
    private final DelayScheduler delays;
    private final Executor mailboxes;
    private final Orchestration orchestration;
    private final CapturedOutput output;
    private final Jobs jobs;

    ReplicaMaker(EventSink events, DelayScheduler delays, Executor mailboxes, Orchestration orchestration,
                 CapturedOutput output, Jobs jobs) {
        this.jobs = jobs;
        this.events = events;
        this.delays = delays;
        this.mailboxes = mailboxes;
        this.orchestration = orchestration;
        this.output = output;
    }

    /** What replica {@code index} of {@code s}, with {@code replicas} in all, is made from. */
    Replica.Setup setup(ConfigResolver.Service s, int index, int replicas) {
        ReplicaId id = new ReplicaId(s.config().name(), index);
        OutputSink out = output.sink(s.config(), id, StdStream.STDOUT);
        OutputSink err = output.sink(s.config(), id, StdStream.STDERR);
        Environment env = s.environment().with("CARNIVAL_SERVICE_NAME", s.config().name())
                .with("CARNIVAL_REPLICA_COUNT", Integer.toString(replicas));
        return new Replica.Setup(s.config(), s.policy(), s.control(), env, out, err,
                orchestration.probes(s.config().name()));
    }

    /** A new replica {@code index} of {@code s}, not begun. */
    Replica make(ConfigResolver.Service s, int index, int replicas, Replica.Owner owner) {
        Replica.Setup setup = setup(s, index, replicas);
        ReplicaId id = new ReplicaId(s.config().name(), index);
        ReplicaLink link = orchestration.replica(id, setup.service(), output.watch(setup.service(), id).orElse(null));
        Environment env = setup.environment().with("CARNIVAL_REPLICA_ID", Integer.toString(index));
        if (setup.service().readiness().map(ProbeSpec::notifies).orElse(false)) {
            Credentials as = s.control() instanceof ForService f ? f.credentials() : null;
            env = env.with(NotifySockets.VARIABLE, orchestration.notifySocket(id, link, as).toString());
        }
        Replica replica = new Replica(id, setup.service(), setup.policy(), setup.control(), env, setup.stdout(),
                setup.stderr(), events, delays, mailboxes, owner, link);
        replica.job(jobs.replicaJob(setup.service()));
        return replica;
    }

    /** The jobs' clocks. */
    Jobs jobs() {
        return jobs;
    }

    /** The captured output: its buffers follow the services a reload adds, changes and removes. */
    CapturedOutput output() {
        return output;
    }

    EventSink events() {
        return events;
    }

    DelayScheduler delays() {
        return delays;
    }

    Orchestration orchestration() {
        return orchestration;
    }
}
