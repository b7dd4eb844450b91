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
import java.util.Optional;

/**
 * The one restore sequence every shell runs (the CLI's {@code rollback --to}, the {@code rollbackTo}
 * step, the "Roll back to this build" button): {@link #begin()} takes the target's lock, plans against
 * the live target, answers "already live" or a refused plan, runs a confirmed point-in-time recovery and
 * then the schema check, and turns the rolled-back release's flags off before the first write (or instead of
 * any write); at the end it saves a record of the restore when asked; {@link #step} carries out one action of the plan and never sleeps, so a Jenkins timer can call
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
    private final RestoreFlags flags;
    private final RestoreRecovery recovery;
    private final RestoreRecord saved;
    private Instant startedAt;
    private TargetLock.Held lock;
    private PreparedRestore prepared;
    private Optional<BuildRef> from = Optional.empty();
    private PlanExecutor.Progress at;

    private RestoreSequence(OperationContext context, RestoreRequest request) {
        this.context = context;
        this.request = request;
        this.cluster = new CountingCluster(request.cluster());
        this.schemaGate = new SchemaGate(context, request);
        this.flags = new RestoreFlags(request.killSwitch());
        this.recovery = new RestoreRecovery(request.recovery());
        this.saved = new RestoreRecord(context, request, cluster);
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
     * @throws OperationException LOCKED, INFRASTRUCTURE (target, registry, store or flag store unreadable; the
     *                            recovery command failed), REFUSED (a digest gone, the schema check refused:
     *                            {@link SchemaRefusedException}), INVALID (a bad override, a flag that does not
     *                            exist, a {@code recordAs} build that has a record); nothing was written to the
     *                            target, the lock is released, and all but INVALID are audited
     */
    public Step begin() throws OperationException, InterruptedException {
        try {
            schemaGate.validate();
            refuseARefusedRelease();
            saved.refuseTaken();
            if (!request.dryRun()) {
                flags.check();
                lock = TargetLocks.hold(context, target(), request.why());
            }
            startedAt = context.clock().instant();
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
                return alreadyLive();
            }
            from = liveBuild();
            if (request.dryRun()) {
                return dryRun(from);
            }
            recovery.run(context, target(), build());
            schemaGate.check(from);
            if (flags.present()) {
                boolean off = flags.turnOff(context.progress());
                if (off && flags.instead()) {
                    return done(RestoreResult.Status.FLAGS_OFF, "kill switch: the flags are off and " + request.where()
                            + " was left as it is (mode instead-of-traffic); running this restore again with the mode "
                            + "before-traffic, or without the kill switch, puts " + build() + " back");
                }
                if (!off) {
                    context.progress().report("WARNING: " + flags.summary() + (flags.instead()
                            ? "; falling back to the plan's writes instead" : "; restoring anyway"));
                }
            }
            at = Restore.begin(plan);
            return new Step(context.clock().instant(), null);
        } catch (OperationException e) {
            failed(e);
            throw e;
        }
    }

    /** Nothing to write; the release's flags still belong off, and a record of the restore is still saved. */
    private Step alreadyLive() throws InterruptedException {
        String summary = build() + " is already live: 0 writes";
        if (request.dryRun()) {
            return finish(RestoreResult.Status.ALREADY_LIVE, summary + (flags.present() ? "; " + flags.wouldDo() : ""));
        }
        if (recovery.present()) {
            summary += "; the recovery command was not run (nothing is restored)";
            context.progress().report("the recovery command is not run: " + build() + " is already live");
        }
        flags.turnOff(context.progress());
        if (flags.failed()) {
            context.progress().report("WARNING: " + flags.summary());
        }
        boolean changed = flags.changedAny() || request.recordAs().isPresent();
        return changed ? done(RestoreResult.Status.ALREADY_LIVE, summary) : finish(RestoreResult.Status.ALREADY_LIVE, summary);
    }

    /** A dry run reads and says: no recovery runs, no flag changes. */
    private Step dryRun(Optional<BuildRef> live) throws OperationException, InterruptedException {
        StringBuilder summary = new StringBuilder("dry run: nothing changed");
        if (recovery.present()) {
            summary.append("; the recovery command would run first, then the schema check against the recovered database");
        } else {
            schemaGate.check(live);
        }
        if (flags.present()) {
            summary.append("; ").append(flags.wouldDo());
        }
        return finish(RestoreResult.Status.DRY_RUN, summary.toString());
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
        String summary = "restored " + build() + ": " + cluster.writes() + " writes"
                + (flags.failed() ? "; " + flags.summary() : "");
        context.progress().report(summary);
        return done(RestoreResult.Status.RESTORED, summary);
    }

    /**
     * A restore that changed something (or was asked for a record): the record of it saved, when asked, and
     * the ROLLBACK audit entry, pinning that record (else the restored one).
     */
    private Step done(RestoreResult.Status status, String summary) throws InterruptedException {
        // Saved under the lock: no other restore can change what the record says is live in between.
        Optional<DeploymentRecord> record = saved.save(status, summary, startedAt, from, flags, recovery, schemaGate);
        release();
        Audit.append(context, AuditAction.ROLLBACK, target(), from.orElse(null), build(), request.why(), evidence(),
                record.orElse(request.record()));
        return finish(status, summary + record.map(r -> "; recorded as " + r.ref()).orElse(""));
    }

    /** Short facts first: an entry keeps 400 characters, and the schema check's summary names every migration. */
    private String evidence() {
        StringBuilder text = new StringBuilder(cluster.writes() + " writes");
        if (!flags.summary().isEmpty()) {
            text.append("; kill switch: ").append(flags.summary());
        }
        if (!recovery.summary().isEmpty()) {
            text.append("; ").append(recovery.summary());
        }
        schemaGate.decision().ifPresent(d -> text.append("; schema: ").append(d.summary()));
        return text.toString();
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
        String evidence = why + (flags.summary().isEmpty() ? "" : "; kill switch: " + flags.summary());
        Audit.append(context, AuditAction.ROLLBACK, target(), from.orElse(null), build(), how + ": " + request.why(),
                evidence, request.record());
    }

    private Step finish(RestoreResult.Status status, String summary) {
        release();
        return new Step(null, new RestoreResult(status, build(), from, prepared, cluster.writes(), schemaGate.decision(),
                summary, flags.changes(), recovery.ran(), saved.recorded()));
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
