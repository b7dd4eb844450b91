package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.ui.LiveTargets;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.TargetLocks;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.restore.PreparedRestore;
import hudson.AbortException;
import dev.rollbackdeploy.jenkins.ui.DeploymentHistory;
import dev.rollbackdeploy.jenkins.ui.HistoryEntry;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The restore, on a pooled thread; idempotent, so a controller restart simply runs it again. */
final class RollbackToExecution extends BackgroundExecution {

    private static final long serialVersionUID = 1L;

    private final RollbackToStep step;

    RollbackToExecution(StepContext context, RollbackToStep step) {
        super(context);
        this.step = step;
    }

    @Override
    Object run(Run<?, ?> run, TaskListener listener) throws Exception {
        OperationContext context = StepSupport.context(run, listener, "rollbackTo");
        FileRecordStore store = context.records();
        BuildRef ref = resolve(store);
        DeploymentRecord record = Restore.record(store, ref);
        try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofRun(run));
                TargetLock.Held held = TargetLocks.hold(context, record.targetKey(), "rollbackTo " + ref + " by " + context.actor())) {
            Cluster cluster = live.cluster();
            String where = live.description();
            context.progress().report("planning the restore of " + ref + " on " + where);
            PreparedRestore prepared = Restore.prepare(store, ref, cluster, Restore.registries(step.isCheckDigests()),
                    RestoreOptions.SAFE, where);
            Plan plan = prepared.plan();
            if (!plan.isExecutable()) {
                throw new AbortException("rollbackTo " + ref + ": " + new PlanRefusedException(plan.refusals()).getMessage());
            }
            if (plan.isEmpty()) {
                context.progress().report(ref + " is already live: 0 writes");
            } else {
                Restore.execute(plan, cluster, Duration.ofMinutes(5), context.clock(), context.progress());
                context.progress().report("restored " + ref + ": " + live.writes().getAsInt() + " writes");
                // the same audit entry as `rollback --to`: every restore that wrote is in the log
                Restore.audit(context, record, live.writes().getAsInt(), "rollbackTo " + ref + " in " + run.getFullDisplayName()
                        + " by " + context.actor());
            }
            recordOnTheJob(run, ref, record.targetKey(), context.actor(), plan.isEmpty()
                    ? ref + " was already live: 0 writes" : "restored by rollbackTo in " + run.getFullDisplayName(),
                    live.writes().getAsInt());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("build", ref.toString());
            result.put("writes", live.writes().getAsInt());
            result.put("actions", plan.actions().size());
            return result;
        }
    }

    /** The restore on the restored job's Deployments page and that build's rollback history, when it is a job here. */
    private static void recordOnTheJob(Run<?, ?> run, BuildRef ref, String target, String who, String reason, int writes)
            throws java.io.IOException {
        Job<?, ?> job = jenkins.model.Jenkins.get().getItemByFullName(ref.job(), Job.class);
        if (job == null) {
            return;
        }
        String before = DeploymentHistory.live(job, target).orElse("");
        DeploymentHistory.recordRollback(job, ref.number(), new HistoryEntry(HistoryEntry.Kind.ROLLBACK, target, before,
                ref.toString(), who, java.time.Instant.now().toString(), reason, "RESTORED", writes));
    }

    private BuildRef resolve(FileRecordStore store) throws Exception {
        if (step.getBuild() == null) {
            throw new AbortException(Messages.RollbackToStep_BuildRequired());
        }
        if (!RollbackToStep.LAST_PROMOTED.equals(step.getBuild())) {
            try {
                return BuildRef.parse(step.getBuild());
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.RollbackToStep_BadBuild(step.getBuild(), e.getMessage()));
            }
        }
        if (step.getTarget() == null) {
            throw new AbortException(Messages.RollbackToStep_TargetRequired());
        }
        return store.latest(step.getTarget(), r -> r.outcome().status() == Outcome.Status.PROMOTED)
                .map(DeploymentRecord::ref)
                .orElseThrow(() -> new OperationException(OperationException.Kind.INVALID,
                        "no promoted build of " + step.getTarget() + " is recorded"));
    }

    @Override
    String notResumableBecause() {
        return null;
    }

    @Override
    String stepName() {
        return "rollbackTo";
    }
}
