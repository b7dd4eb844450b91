package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one "deploy": a {@link DeploymentSpec} becomes a rollout on its target — HAProxy-fronted VMs or
 * Kubernetes, through a {@link TargetDeploy} — with its gates, under the target's lock, recorded in the store. Never blocks on its own: {@link #begin()}
 * decides everything that must be decided before any write, {@link #advance} does one bounded round
 * and says when to call again, {@link #stop} puts all traffic on stable first. Between calls the
 * caller keeps a {@link DeployState} (persistable as a string), so a Jenkins step resumes after a
 * controller restart with a fresh object; the CLI loops ({@link #runToEnd}).
 *
 * <p>Not thread-safe, except that {@link #stop} may be called from another thread while
 * {@link #advance} runs (a signal, a Jenkins abort): from then on no write but "all on stable" goes out
 * and the outcome is recorded once.
 */
public final class Deployment implements AutoCloseable {

    /** How a deployment ended. */
    public enum Status { PROMOTED, ROLLED_BACK, ABORTED, FAILED, ALREADY_LIVE }

    /**
     * @param record the record written (null for ALREADY_LIVE, or when another thread recorded the stop)
     * @param looks  gate looks taken
     */
    public record Finished(Status status, String reason, DeploymentRecord record, int looks) {
    }

    /** After a round: the state to keep and when to call again, or how it finished. */
    public record Round(DeployState state, Instant callAgainAt, Finished finished) {
        public boolean isFinished() {
            return finished != null;
        }
    }

    private final DeploymentSpec spec;
    private final OperationContext context;
    private final AtomicReference<Finished> recorded = new AtomicReference<>();
    private final TargetDeploy target;
    private TargetLock.Held lock;
    private DeploySafety safety = DeploySafety.NONE;

    private Deployment(DeploymentSpec spec, OperationContext context, TargetDeploy target) {
        this.spec = spec;
        this.context = context;
        this.target = target;
    }

    /** For tests: the deploy through {@code target} (e.g. the spec's own, wrapped to fail). */
    static Deployment through(DeploymentSpec spec, OperationContext context, TargetDeploy target) {
        return new Deployment(spec, context, target);
    }

    /** The spec's own target: HAProxy-fronted VMs or Kubernetes. */
    static TargetDeploy targetOf(DeploymentSpec spec, OperationContext context) {
        return spec.isKubernetes() ? new KubernetesDeploy(spec, context) : new VmDeploy(spec, context.progress()::report);
    }

    /** Nothing is opened, locked or asked yet. */
    public static Deployment of(DeploymentSpec spec, OperationContext context) {
        return new Deployment(spec, context, targetOf(spec, context));
    }

    /** Schema and kill switch of this deploy (docs/safety.md); {@link DeploySafety#NONE} unless given. */
    public Deployment withSafety(DeploySafety value) {
        safety = value;
        if (target instanceof VmDeploy vm) {
            vm.guardWith(router -> value.guard(router, context.progress()));
        } else if (target instanceof KubernetesDeploy kubernetes) {
            kubernetes.guardWith(value.trafficGuard(context.progress()));
        }
        return this;
    }

    /**
     * Everything decided before the first write: checks what only the target can say (a Kubernetes
     * namespace exists), takes the target's lock, checks the target (every load balancer; the Kubernetes
     * Lease taken), warns about drift since the newest promoted build, and looks for a record of this build — a build already recorded is a no-op when it is live
     * exactly as recorded (a retried CI job), and refused otherwise (issue 9 item 6).
     *
     * @throws OperationException LOCKED, INFRASTRUCTURE, INVALID (a load balancer set up wrongly) or
     *                            REFUSED (the build was deployed before); nothing was written, no lock is left
     */
    public DeployState begin() throws OperationException, InterruptedException {
        target.checkBeforeLock();
        safety.check();
        ensureLocked();
        try {
            target.validate();
            FileRecordStore store = context.records();
            Instant now = context.clock().instant();
            Optional<DeploymentRecord> existing = StoredRecords.find(store, spec.build());
            if (existing.isPresent()) {
                String live = alreadyLive(existing.get());
                context.progress().report(live);
                return target.start(spec.build(), now, null, live);
            }
            Optional<DeploymentRecord> previous = StoredRecords.latestPromoted(store, spec.target().key());
            previous.ifPresent(this::warnAboutDrift);
            warnBeforeStart();
            context.progress().report(spec.describe() + previous.map(p -> "; live before: " + p.ref()).orElse(""));
            return target.start(spec.build(), now, previous.map(DeploymentRecord::ref).orElse(null), null);
        } catch (OperationException | RuntimeException | InterruptedException e) {
            release();
            throw e;
        }
    }

    /** One round at the context clock's now. */
    public Round advance(DeployState state) throws OperationException, InterruptedException {
        return advance(state, context.clock().instant());
    }

    /**
     * One bounded round: the engine's intents until it must wait. When the rollout is over the outcome
     * is recorded and the lock released, and the round is finished.
     *
     * @throws OperationException INFRASTRUCTURE when traffic could not be put back on stable (the split
     *                            is unknown), or the store could not be written; LOCKED when a resumed run
     *                            finds the target taken by someone else; INVALID for a state of another build
     */
    public Round advance(DeployState state, Instant now) throws OperationException, InterruptedException {
        if (!state.build().equals(spec.build()) || !state.target().equals(spec.target().key())) {
            throw new OperationException(OperationException.Kind.INVALID, "the saved deploy state is of " + state.build()
                    + " on " + state.target() + ", not of " + spec.build() + " on " + spec.target().key());
        }
        if (state.alreadyLive() != null) {
            release();
            return new Round(state, null, new Finished(Status.ALREADY_LIVE, state.alreadyLive(), null, 0));
        }
        if (recorded.get() != null) {
            return new Round(state, null, recorded.get());
        }
        ensureLocked();
        TargetDeploy.Round round;
        try {
            round = target.advance(state, now);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, e.getMessage(), e);
        } catch (RuntimeException e) {
            // A defect is never a reason to leave a canary serving: stable first, then recorded with the error.
            context.progress().report("the rollout failed unexpectedly (" + e + "): putting traffic back on stable");
            return new Round(state, null, stop(state, "the rollout failed unexpectedly: " + e));
        }
        GateAudit.afterRound(context, spec.target().key(), state.previous(), spec.build(), state, round.state());
        DeployState next = round.state();
        if (round.callAgainAt() != null) {
            return new Round(next, round.callAgainAt(), null);
        }
        Finished finished = record(next, next.rollout());
        return new Round(next, null, finished == null ? recorded.get() : finished);
    }

    /**
     * Stops the rollout: all new requests back on stable first (confirmed on every load balancer, or
     * the canary's weight at 0 / the active Service switched back on Kubernetes; a few attempts), then the outcome recorded as ABORTED with {@code reason}, then the lock released.
     * With a kill switch its flags go off first; in {@code instead-of-traffic} mode that is all a stop does
     * (what the person configured), unless the flags cannot be turned off — then traffic goes to stable.
     * Safe to call while {@link #advance} runs on another thread. May wait a few seconds for retries.
     *
     * @throws OperationException INFRASTRUCTURE when the store could not be written
     */
    public Finished stop(DeployState state, String reason) throws OperationException, InterruptedException {
        if (state.alreadyLive() != null) {
            release();
            return new Finished(Status.ALREADY_LIVE, state.alreadyLive(), null, 0);
        }
        String why = reason;
        try {
            context.progress().report(target.stopOnStable());
            why = safety.replacedTraffic() ? reason : reason + "; traffic put back on stable";
        } catch (IOException e) {
            context.progress().report("COULD NOT put traffic back on stable: " + e.getMessage()
                    + " — the split is unknown; check with `rollback diff` and `rollback --to` the previous build");
            why = reason + "; putting traffic back on stable FAILED: " + e.getMessage();
        }
        Instant now = context.clock().instant();
        RolloutState stopped = new RolloutState(Phase.ABORTED, 0, Weight.NONE, state.startedAt(), now, why, false, true,
                null, false);
        Finished finished = record(state, stopped);
        return finished == null ? recorded.get() : finished;
    }

    /**
     * The CLI's blocking form: {@link #begin()}, then rounds, sleeping until each asks to be called again.
     *
     * @param onRound sees the state before every round, and the final state
     */
    public Finished runToEnd(java.util.function.Consumer<DeployState> onRound) throws OperationException, InterruptedException {
        DeployState state = begin();
        while (true) {
            onRound.accept(state);
            Round round = advance(state);
            if (round.isFinished()) {
                onRound.accept(round.state());
                return round.finished();
            }
            state = round.state();
            Duration left = Duration.between(context.clock().instant(), round.callAgainAt());
            if (left.toMillis() > 0) {
                Thread.sleep(left.toMillis());
            }
        }
    }

    /** Where new requests go back to on a stop, for a person (the stable servers, the stable Deployment). */
    public String stableName() {
        return target.stableName();
    }

    /** Closes Prometheus and the target's connections, and gives up the lock (and a Kubernetes Lease) if still held. */
    @Override
    public void close() {
        target.close();
        release();
    }

    /** Records the outcome once (whoever comes first: the run or a stop) and releases the lock; null if already done. */
    private Finished record(DeployState state, RolloutState end) throws OperationException, InterruptedException {
        synchronized (recorded) {
            if (recorded.get() != null) {
                return null;
            }
            DeploymentRecord record;
            RolloutState settled = end;
            try {
                settled = safety.settle(end, safety.replacedTraffic() ? trafficNow() : "");
                record = safety.facts(target.record(state, settled, context.clock().instant(), context.actor()),
                        context.progress());
                context.records().save(record);
            } catch (IOException e) {
                throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "the rollout ended " + settled.phase()
                        + " but its record could not be written to " + context.store() + ": " + e.getMessage(), e);
            } finally {
                release();
            }
            context.progress().report("recorded " + spec.build() + " as " + record.outcome().status() + " in " + context.store());
            Audit.append(context, settled.phase() == Phase.ABORTED ? AuditAction.ABORT : AuditAction.DEPLOY,
                    spec.target().key(), state.previous(), spec.build(), settled.abortReason() == null
                            ? settled.phase().name().toLowerCase(java.util.Locale.ROOT) : settled.abortReason(),
                    safety.evidence(state.lastReason()), record);
            Finished finished = new Finished(status(record, settled.phase()), settled.abortReason(), record, state.looks());
            recorded.set(finished);
            return finished;
        }
    }

    /** What the canary carries now, read back, for the reason of an outcome the kill switch settled. */
    private String trafficNow() throws InterruptedException {
        try {
            return target.trafficNow();
        } catch (IOException e) {
            return "what the canary carries could not be read back (" + e.getMessage() + ")";
        }
    }

    private static Status status(DeploymentRecord record, Phase phase) {
        if (record.outcome().status() == Outcome.Status.FAILED) {
            return Status.FAILED; // e.g. a Kubernetes canary promoted whose finish could not complete
        }
        return switch (phase) {
            case PROMOTED -> Status.PROMOTED;
            case ROLLED_BACK -> Status.ROLLED_BACK;
            case ABORTED -> Status.ABORTED;
            default -> Status.FAILED;
        };
    }

    /**
     * Someone changed the target since its newest promoted build (weights set by hand, {@code kubectl
     * edit}): said before
     * the rollout starts, which then begins from what is live. Reads only; a failure to read is said too.
     */
    private void warnAboutDrift(DeploymentRecord previous) {
        if (previous.manifests().objects().isEmpty()) {
            return;
        }
        try {
            DriftReport drift = target.drift(previous);
            if (!drift.inSync()) {
                drift.render().lines().forEach(line -> context.progress().report("WARNING: " + line));
            }
        } catch (IOException e) {
            context.progress().report("WARNING: could not compare the live split with the record of " + previous.ref()
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the target says a person should know before the first write; a failure to read is said too. */
    private void warnBeforeStart() throws InterruptedException {
        try {
            target.warningBeforeStart().ifPresent(w -> context.progress().report("WARNING: " + w));
        } catch (IOException e) {
            context.progress().report("WARNING: could not read what the target carries before the rollout: " + e.getMessage());
        }
    }

    /** A build already recorded: why nothing is to be done, or a refusal. */
    private String alreadyLive(DeploymentRecord existing) throws OperationException, InterruptedException {
        boolean same;
        try {
            same = target.liveEquals(existing);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read what is live on "
                    + spec.target().key() + ": " + e.getMessage() + "; nothing was changed", e);
        }
        Outcome outcome = existing.outcome();
        if (outcome.status() == Outcome.Status.PROMOTED && same) {
            return spec.build() + " is already deployed (recorded PROMOTED at " + existing.finishedAt()
                    + ") and live equals its record: nothing to do, 0 writes";
        }
        throw new OperationException(OperationException.Kind.REFUSED, spec.build() + " was already deployed to "
                + existing.target().key() + " (recorded " + outcome.status()
                + (outcome.reason() == null ? "" : " — " + outcome.reason()) + ", at " + existing.finishedAt()
                + ") and what is live now differs from its record; a build is deployed once, so nothing was changed. "
                + "To put it back exactly: rollback --to " + spec.build() + "; to deploy again: a new build");
    }

    private void ensureLocked() throws OperationException, InterruptedException {
        if (lock == null) {
            lock = TargetLocks.hold(context, spec.target().key(), spec.build().toString());
        }
    }

    private void release() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                context.progress().report("could not release the lock of " + spec.target().key() + ": " + e.getMessage());
            }
            lock = null;
        }
    }
}
