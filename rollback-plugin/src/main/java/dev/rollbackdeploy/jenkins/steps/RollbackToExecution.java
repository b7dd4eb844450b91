package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.config.SchemaChecks;
import dev.rollbackdeploy.jenkins.ui.LiveTargets;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.RestoreRequest;
import dev.rollbackdeploy.operations.RestoreResult;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import hudson.AbortException;
import dev.rollbackdeploy.jenkins.ui.DeploymentHistory;
import dev.rollbackdeploy.jenkins.ui.HistoryEntry;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
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
        RestoreResult result;
        try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofRun(run))) {
            result = Restore.run(context, RestoreRequest.of(record, live.cluster(), live.description(), "rollbackTo " + ref
                    + " in " + run.getFullDisplayName() + " by " + context.actor())
                    .withRegistry(Restore.registries(step.isCheckDigests()))
                    .withSchema(SchemaChecks.forRun(run, record.targetKey()).map(Datasource::preflight))
                    .withSchemaOverride(step.getOverrideSchema()));
        }
        if (result.status() == RestoreResult.Status.PLAN_REFUSED) {
            throw new AbortException("rollbackTo " + ref + ": " + new PlanRefusedException(result.plan().refusals()).getMessage());
        }
        boolean wrote = result.status() == RestoreResult.Status.RESTORED;
        if (!wrote) {
            context.progress().report(result.summary());
        }
        recordOnTheJob(run, ref, record.targetKey(), result.from().map(BuildRef::toString), context.actor(), wrote
                ? "restored by rollbackTo in " + run.getFullDisplayName() : ref + " was already live: 0 writes", result.writes());
        Map<String, Object> returned = new LinkedHashMap<>();
        returned.put("build", ref.toString());
        returned.put("writes", result.writes());
        returned.put("actions", result.plan().actions().size());
        result.schema().ifPresent(decision -> returned.put("schemaCheck", decision.summary()));
        return returned;
    }

    /** The restore on the restored job's Deployments page and that build's rollback history, when it is a job here. */
    private static void recordOnTheJob(Run<?, ?> run, BuildRef ref, String target, java.util.Optional<String> from, String who,
            String reason, int writes) throws java.io.IOException {
        Job<?, ?> job = jenkins.model.Jenkins.get().getItemByFullName(ref.job(), Job.class);
        if (job == null) {
            return;
        }
        String before = from.isPresent() ? from.get() : DeploymentHistory.live(job, target).orElse("");
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
