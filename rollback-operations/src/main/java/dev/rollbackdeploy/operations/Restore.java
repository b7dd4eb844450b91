package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.NoSuchRecordException;
import dev.rollbackdeploy.record.RecordStore;
import dev.rollbackdeploy.record.UnsupportedRecordFormatException;
import dev.rollbackdeploy.registry.OciRegistry;
import dev.rollbackdeploy.registry.RegistryConfig;
import dev.rollbackdeploy.registry.RegistryCredentials;
import dev.rollbackdeploy.restore.DigestPreflightException;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.restore.RestorePreparation;
import dev.rollbackdeploy.schema.SchemaDecision;
import dev.rollbackdeploy.schema.SchemaPreflight;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one "restore" ({@code rollback --to}, the {@code rollbackTo} step, the rollback button): a recorded
 * build put back exactly through {@link RestorePreparation} (record loaded, image digests checked before
 * the target is read), {@code RestorePlanner} and {@link PlanExecutor}, in the order {@link RestoreSequence}
 * fixes; {@link #run} is its blocking form. Restoring what is live makes no write.
 */
public final class Restore {

    private Restore() {
    }

    /** The build's record: INVALID when there is none, REFUSED when corrupt, INFRASTRUCTURE when unreadable. */
    public static DeploymentRecord record(RecordStore store, BuildRef build) throws OperationException, InterruptedException {
        Optional<DeploymentRecord> found = StoredRecords.find(store, build);
        if (found.isEmpty()) {
            throw new OperationException(OperationException.Kind.INVALID, "no record of " + build
                    + " in the store (see `rollback history`)");
        }
        return found.get();
    }

    /** The registries to ask whether recorded digests still exist (anonymous pulls), or none when skipped. */
    public static Optional<Registry> registries(boolean checkDigests) {
        return checkDigests ? Optional.of(new OciRegistry(RegistryConfig.defaults(), RegistryCredentials.none()))
                : Optional.empty();
    }

    /**
     * The plan that puts {@code build} back on {@code cluster}; writes nothing.
     *
     * @throws OperationException REFUSED when a recorded digest is gone (naming the nearest restorable
     *                            build), INFRASTRUCTURE when the target or a registry cannot be read
     */
    public static PreparedRestore prepare(RecordStore store, BuildRef build, Cluster cluster, Optional<Registry> registry,
            RestoreOptions options, String where) throws OperationException, InterruptedException {
        try {
            return RestorePreparation.prepare(store, build, cluster, registry, options);
        } catch (DigestPreflightException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage() + "; nothing was changed", e);
        } catch (NoSuchRecordException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + " (see `rollback history`)", e);
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot prepare the restore of " + build
                    + " on " + where + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    /**
     * The whole restore, blocking: {@link RestoreSequence#begin()}, then one step at a time, sleeping
     * where the executor says (readiness). The CLI's form; a Jenkins timer calls the sequence's steps itself.
     * Interrupted part-way, the restore is audited as cancelled and the lock released. A kill switch in mode
     * instead-of-traffic (FLAGS_OFF), a refused plan, a dry run and "already live" end in {@code begin()}.
     *
     * @throws OperationException as {@link RestoreSequence#begin()} and {@link RestoreSequence#step} do
     */
    public static RestoreResult run(OperationContext context, RestoreRequest request)
            throws OperationException, InterruptedException {
        try (RestoreSequence sequence = RestoreSequence.of(context, request)) {
            try {
                RestoreSequence.Step step = sequence.begin();
                while (!step.isFinished()) {
                    long wait = Duration.between(context.clock().instant(), step.callAgainAt()).toMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    step = sequence.step(context.clock().instant());
                }
                return step.finished();
            } catch (InterruptedException e) {
                sequence.abandon("interrupted");
                throw e;
            }
        }
    }

    /**
     * The schema check as a restore of {@code record} would run it, without an override: for a page that
     * shows it before the confirm form. Empty when no datasource is configured. Read-only.
     */
    public static Optional<SchemaDecision> schemaCheck(DeploymentRecord record, Optional<SchemaPreflight> schema)
            throws InterruptedException {
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(schema.get().check(record.ref().toString(), SchemaGate.requirement(record), Optional.empty()));
    }

    /** The progress to start from; REFUSED for a plan with refusals (which may have no action and look done). */
    public static PlanExecutor.Progress begin(Plan plan) throws OperationException {
        try {
            plan.requireExecutable();
            return PlanExecutor.Progress.START;
        } catch (PlanRefusedException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
        }
    }

    /**
     * One step of the plan, never sleeping: a Jenkins step calls it from a timer and waits
     * {@code callAgainIn} itself. After a restart it prepares the restore again (a fresh plan from what
     * is live: the steps already done are no longer in it) and starts at {@link PlanExecutor.Progress#START}.
     */
    public static PlanExecutor.Outcome step(Plan plan, Cluster cluster, PlanExecutor.Progress at, Duration readyTimeout,
            Instant now, Progress progress) throws OperationException, InterruptedException {
        begin(plan);
        if (at.isDone(plan)) {
            return new PlanExecutor.Outcome(at, false, Duration.ZERO);
        }
        Action action = plan.actions().get(at.next());
        PlanExecutor.Outcome outcome;
        try {
            outcome = new PlanExecutor(cluster, null, readyTimeout).step(plan, at, now);
        } catch (PlanRefusedException e) {
            throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
        } catch (Cluster.WorkloadFailedException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, e.getMessage()
                    + "; the target is part-way restored: run the same restore again once fixed", e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, action.describe() + " failed: "
                    + e.getMessage() + "; the target is part-way restored: run the same restore again (it is idempotent)", e);
        }
        if (outcome.progress().next() != at.next()) {
            progress.report(String.format("step %d/%d done: %s", at.next() + 1, plan.actions().size(), action.describe()));
        }
        return outcome;
    }
}
