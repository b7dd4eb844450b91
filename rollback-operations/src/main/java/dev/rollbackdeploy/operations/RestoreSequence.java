package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.schema.SchemaDecision;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one restore sequence every shell runs (the CLI's {@code rollback --to}, the {@code rollbackTo}
 * step, the "Roll back to this build" button): {@link #begin()} takes the target's lock, plans against
 * the live target, answers "already live" or a refused plan, and runs the schema check before the first
 * write; {@link #step} carries out one action of the plan and never sleeps, so a Jenkins timer can call
 * it; {@link Restore#run} is the blocking loop. Every restore that was refused, failed, was cancelled or
 * wrote is in the audit log, with the build live before ({@code from}) when a record of it matches.
 * Close it to release the lock whatever happened.
 */
public final class RestoreSequence implements AutoCloseable {

    /** After {@link #begin()} or a {@link #step}: when to call again, or how it ended. */
    public record Step(Instant callAgainAt, RestoreResult finished) {
        public boolean isFinished() {
            return finished != null;
        }
    }

    private final OperationContext context;
    private final RestoreRequest request;
    private final CountingCluster cluster;
    private final SchemaGate schemaGate;
    private TargetLock.Held lock;
    private PreparedRestore prepared;
    private Optional<BuildRef> from = Optional.empty();
    private PlanExecutor.Progress at;

    private RestoreSequence(OperationContext context, RestoreRequest request) {
        this.context = context;
        this.request = request;
        this.cluster = new CountingCluster(request.cluster());
        this.schemaGate = new SchemaGate(context, request);
    }

    public static RestoreSequence of(OperationContext context, RestoreRequest request) {
        return new RestoreSequence(context, request);
    }

    private BuildRef build() {
        return request.record().ref();
    }

    private String target() {
        return request.record().targetKey();
    }

    /**
     * Everything before the first write. A dry run takes no lock and audits nothing.
     *
     * @throws OperationException LOCKED, INFRASTRUCTURE (target, registry or store unreadable), REFUSED (a
     *                            digest gone, the schema check refused), INVALID (a bad override); nothing
     *                            was written, the lock is released, and the refusal is audited
     */
    public Step begin() throws OperationException, InterruptedException {
        try {
            schemaGate.validate();
            refuseARefusedRelease();
            if (!request.dryRun()) {
                lock = TargetLocks.hold(context, target(), request.why());
            }
            context.progress().report("planning the restore of " + build() + " (template set "
                    + request.record().manifests().setHash() + ") on " + request.where());
            prepared = Restore.prepare(context.records(), build(), cluster, request.registry(), request.options(),
                    request.where());
            context.progress().report("images: " + prepared.images().describe());
            Plan plan = prepared.plan();
            if (!plan.isExecutable()) {
                String why = "the plan needs what was not allowed: " + String.join("; ", plan.refusals());
                if (!request.dryRun()) {
                    auditEnded("REFUSED", why);
                }
                return finish(RestoreResult.Status.PLAN_REFUSED, why);
            }
            if (plan.isEmpty()) {
                return finish(RestoreResult.Status.ALREADY_LIVE, build() + " is already live: 0 writes");
            }
            from = liveBuild();
            schemaGate.check(from);
            if (request.dryRun()) {
                return finish(RestoreResult.Status.DRY_RUN, "dry run: nothing changed");
            }
            at = Restore.begin(plan);
            return new Step(context.clock().instant(), null);
        } catch (OperationException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * One action of the plan at {@code now}; never sleeps. After the last one the restore is audited
     * and the lock released.
     *
     * @throws OperationException INFRASTRUCTURE when an action fails (the target is part-way restored;
     *                            running the same restore again converges); audited, lock released
     */
    public Step step(Instant now) throws OperationException, InterruptedException {
        if (at == null) {
            throw new IllegalStateException("step() before begin() of the restore of " + build());
        }
        Plan plan = prepared.plan();
        try {
            PlanExecutor.Outcome outcome = Restore.step(plan, cluster, at, request.readyTimeout(), now, context.progress());
            at = outcome.progress();
            if (!at.isDone(plan)) {
                return new Step(now.plus(outcome.callAgainIn()), null);
            }
        } catch (OperationException e) {
            failed(e);
            throw e;
        }
        release();
        String summary = "restored " + build() + ": " + cluster.writes() + " writes";
        context.progress().report(summary);
        Audit.append(context, AuditAction.ROLLBACK, target(), from.orElse(null), build(), request.why(),
                cluster.writes() + " writes" + schemaGate.decision().map(d -> "; schema: " + d.summary()).orElse(""),
                request.record());
        return finish(RestoreResult.Status.RESTORED, summary);
    }

    /** The restore was cancelled (interrupted, stopped) part-way: audited as such, lock released. */
    public void abandon(String why) {
        boolean interrupted = Thread.interrupted(); // the audit's file lock cannot be taken on an interrupted thread
        try {
            if (at != null && !request.dryRun()) {
                auditEnded("CANCELLED after " + cluster.writes() + " writes (the target may be part-way restored)", why);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            release();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes made so far. */
    public int writes() {
        return cluster.writes();
    }

    @Override
    public void close() {
        release();
    }

    /**
     * A Kubernetes record of a deploy that never went live as a whole (ABORTED by a gate, a person or a
     * drill; FAILED) holds the candidate's release — the one the rollout refused. Restoring it would put
     * that release live, so it is refused, naming the build to restore instead. (A VM record holds the
     * traffic split the rollout left, which is stable, so it stays restorable.)
     */
    private void refuseARefusedRelease() throws OperationException, InterruptedException {
        DeploymentRecord record = request.record();
        Outcome.Status status = record.outcome().status();
        if (record.target() instanceof Target.Kubernetes
                && (status == Outcome.Status.ABORTED || status == Outcome.Status.FAILED)) {
            String instead = StoredRecords.latestPromoted(context.records(), target())
                    .map(p -> "; the newest promoted build of " + target() + " is " + p.ref() + ": roll back to that one")
                    .orElse("");
            throw new OperationException(OperationException.Kind.REFUSED, build() + " was not promoted (" + status + ": "
                    + record.outcome().reason() + "); its record holds the release that rollout refused, and restoring"
                    + " it would put that release live; nothing was changed" + instead);
        }
    }

    /** Releases the lock and audits the failure; bad input (INVALID) changed nothing, so it writes nothing either. */
    private void failed(OperationException e) throws InterruptedException {
        release();
        if (!request.dryRun() && e.kind() != OperationException.Kind.INVALID) {
            auditEnded(e.kind() == OperationException.Kind.INFRASTRUCTURE ? "FAILED after " + cluster.writes() + " writes"
                    : e.kind() == OperationException.Kind.LOCKED ? "NOT STARTED (target locked)" : "REFUSED", e.getMessage());
        }
    }

    private void auditEnded(String how, String why) throws InterruptedException {
        Audit.append(context, AuditAction.ROLLBACK, target(), from.orElse(null), build(), how + ": " + request.why(),
                why, request.record());
    }

    private Step finish(RestoreResult.Status status, String summary) {
        release();
        return new Step(null, new RestoreResult(status, build(), from, prepared, cluster.writes(), schemaGate.decision(),
                summary, List.of(), Optional.empty(), Optional.empty()));
    }

    /** The newest other record of the target that equals what is live; empty when none does or it cannot be read. */
    private Optional<BuildRef> liveBuild() throws InterruptedException {
        try {
            ManifestSet live = cluster.observe().objects();
            return context.records().latest(target(), r -> !r.ref().equals(build()) && !r.manifests().objects().isEmpty()
                    && r.manifests().equals(live)).map(DeploymentRecord::ref);
        } catch (IOException e) {
            context.progress().report("which build is live now is not known (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private void release() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                context.progress().report("could not release the lock of " + target() + ": " + e.getMessage());
            }
            lock = null;
        }
    }
}
