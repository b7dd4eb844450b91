package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.ui.RestoreRun.State;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.TargetLocks;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.restore.PreparedRestore;
import hudson.model.Run;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The restore itself, on the queue's one-off executor: through the front door's {@link Restore} under the
 * target's lock (taken without waiting: a second writer is refused, not queued behind), exactly as
 * {@code rollback --to} does. Whatever happens, the lock is released, the claim is released, and the
 * outcome lands on the job's Deployments page and the restored build's rollback history.
 */
final class RestoreWork {

    private static final Logger LOG = Logger.getLogger(RestoreWork.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private RestoreWork() {
    }

    static void run(RestoreRun run) {
        run.running();
        Clock clock = Clock.systemUTC();
        try {
            FileRecordStore store = ControllerRecords.store();
            BuildRef ref = BuildRef.parse(run.getBuildRef());
            DeploymentRecord record = Restore.record(store, ref);
            OperationContext context = OperationContext.nextToStore(ControllerRecords.storeDir(), Duration.ZERO,
                    run.getRequestedBy(), clock, run::log);
            try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofItem(run.getJob()));
                    TargetLock.Held held = TargetLocks.hold(context, record.targetKey(), "Jenkins: roll back "
                    + record.targetKey() + " to " + ref + " by " + run.getRequestedBy())) {
                PreparedRestore prepared = Restore.prepare(store, ref, live.cluster(), Restore.registries(true),
                        RestoreOptions.SAFE, live.description());
                run.log("images: " + prepared.images().describe());
                Plan plan = prepared.plan();
                run.log(plan.render().strip());
                if (!plan.isExecutable()) {
                    finish(run, State.REFUSED, Messages.RestoreWork_Refused(String.join("; ", plan.refusals())), 0);
                } else if (plan.isEmpty()) {
                    finish(run, State.ALREADY_LIVE, Messages.RestoreWork_AlreadyLive(ref), 0);
                } else {
                    Restore.execute(plan, live.cluster(), READY_TIMEOUT, clock, run::log);
                    finish(run, State.RESTORED, Messages.RestoreWork_Restored(ref, live.writes().getAsInt()),
                            live.writes().getAsInt());
                }
            }
        } catch (OperationException e) {
            finish(run, e.kind() == OperationException.Kind.LOCKED ? State.LOCKED
                    : e.kind() == OperationException.Kind.INFRASTRUCTURE ? State.FAILED : State.REFUSED, e.getMessage(), -1);
        } catch (InterruptedException e) {
            finish(run, State.CANCELLED, Messages.RestoreWork_Interrupted(), -1);
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "restore " + run.getId() + " of " + run.getBuildRef() + " failed", e);
            finish(run, State.FAILED, Messages.RestoreWork_Failed(e.getMessage()), -1);
        } finally {
            ActiveRestores.release(run);
        }
    }

    static void cancelledInQueue(RestoreRun run) {
        try {
            finish(run, State.CANCELLED, Messages.RestoreWork_CancelledInQueue(), -1);
        } finally {
            ActiveRestores.release(run);
        }
    }

    /** Logs the outcome and records it on the job and on the restored build; recording never hides the outcome. */
    private static void finish(RestoreRun run, State state, String summary, int writes) {
        String live = "";
        try {
            live = DeploymentHistory.live(run.getJob(), run.getTarget()).orElse("");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the deployment history of " + run.getJob().getFullName(), e);
        }
        run.finish(state, summary, writes);
        HistoryEntry entry = new HistoryEntry(HistoryEntry.Kind.ROLLBACK, run.getTarget(), live, run.getBuildRef(),
                run.getRequestedBy(), java.time.Instant.now().toString(), summary, state.name(), writes);
        try {
            DeploymentHistory.recordRollback(run.getJob(), run.getBuild(), entry);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the restore " + run.getId() + " on " + run.getJob().getFullName(), e);
        }
        audit(run, state, summary, live);
    }

    /** Restores that changed (or may have part-way changed) the target go into the audit log beside the store. */
    private static void audit(RestoreRun run, State state, String summary, String live) {
        if (state != State.RESTORED && state != State.FAILED && state != State.CANCELLED) {
            return;
        }
        try {
            AuditLog.besideStore(ControllerRecords.storeDir()).append(new AuditEvent(java.time.Instant.now(),
                    run.getRequestedBy(), AuditAction.ROLLBACK, run.getTarget(),
                    live.isEmpty() ? null : BuildRef.parse(live), BuildRef.parse(run.getBuildRef()),
                    "Roll back to this build (Jenkins): " + summary, "", null));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot append the restore " + run.getId() + " to the audit log", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
