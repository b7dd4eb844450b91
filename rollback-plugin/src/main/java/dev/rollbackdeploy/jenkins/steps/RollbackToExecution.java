package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.config.KillSwitches;
import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.config.RecoveryHooks;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.config.SchemaChecks;
import dev.rollbackdeploy.jenkins.ui.DeploymentHistory;
import dev.rollbackdeploy.jenkins.ui.DeploymentRecordAction;
import dev.rollbackdeploy.jenkins.ui.HistoryEntry;
import dev.rollbackdeploy.jenkins.ui.LiveTargets;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.RestoreRequest;
import dev.rollbackdeploy.operations.RestoreResult;
import dev.rollbackdeploy.operations.TargetStatus;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import hudson.AbortException;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The restore, on a pooled thread; idempotent, so a controller restart simply runs it again. Everything a
 * restore does — kill switch, confirmed recovery, schema check, writes, its record and audit entries — is the
 * front door's {@link Restore#run}; this class finds the configured parts and translates the outcome.
 */
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
        String target = record.targetKey();
        // every check of the step's own input before anything is locked, read live or written
        Map<String, String> recoverEnv = recoverEnvironment();
        Optional<FlagSwitch> flags = KillSwitches.forRun(run, target);
        Path recoveryLogs = RecoveryHooks.logDir(run.getParent().getFullName() + "-" + run.getNumber());
        Optional<RestoreRequest.Recovery> recovery = recovery(target, context, store, recoveryLogs, recoverEnv);
        flags.ifPresent(f -> RollbackConfiguration.get().killSwitch(target).ifPresent(k -> context.progress().report(
                Messages.RollbackToStep_KillSwitch(k.flagList(), k.getProvider(), k.getUrl(), k.describeMode()))));
        BuildRef self = new BuildRef(run.getParent().getFullName(), run.getNumber());
        Optional<BuildRef> recordAs = hasRecord(store, self) ? Optional.empty() : Optional.of(self);
        String root = Jenkins.get().getRootUrl();
        RestoreResult result;
        try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofRun(run))) {
            result = Restore.run(context, RestoreRequest.of(record, live.cluster(), live.description(), "rollbackTo " + ref
                    + " in " + run.getFullDisplayName() + " by " + context.actor())
                    .withRegistry(Restore.registries(step.isCheckDigests()))
                    .withSchema(SchemaChecks.forRun(run, target).map(Datasource::preflight))
                    .withSchemaOverride(step.getOverrideSchema())
                    .withKillSwitch(flags)
                    .withRecovery(recovery)
                    .withRecordAs(recordAs)
                    .withRecordUrl(recordAs.isPresent() && root != null ? Optional.of(URI.create(root + run.getUrl()))
                            : Optional.empty()));
        } catch (OperationException e) {
            recoveryOutput(listener, recoveryLogs); // a failed recovery stopped the restore: show its output's end
            throw e;
        }
        if (result.status() == RestoreResult.Status.PLAN_REFUSED) {
            throw new AbortException("rollbackTo " + ref + ": " + new PlanRefusedException(result.plan().refusals()).getMessage());
        }
        boolean wrote = result.status() == RestoreResult.Status.RESTORED;
        if (!wrote) {
            context.progress().report(result.summary());
        }
        result.recovery().ifPresent(r -> context.progress().report(Messages.RollbackToStep_RecoveryRan(r.summary(),
                r.confirmation().by(), r.confirmation().reason(), RecoveryHooks.outputLog(recoveryLogs)
                        .map(Path::toString).orElse("none"))));
        recoveryOutput(listener, recoveryLogs);
        attachRecord(run, store, result, self, context);
        boolean flagsOnly = result.status() == RestoreResult.Status.FLAGS_OFF;
        recordOnTheJob(run, ref, target, result.from().map(BuildRef::toString), context.actor(), wrote
                ? "restored by rollbackTo in " + run.getFullDisplayName() : flagsOnly ? result.summary()
                : ref + " was already live: 0 writes", result.writes(), flagsOnly ? "FLAGS_OFF" : "RESTORED");
        return returned(ref, result);
    }

    /** The last lines of the recovery's output in the build log, when it ran; the whole output stays in its file. */
    private static void recoveryOutput(TaskListener listener, Path recoveryLogs) {
        RecoveryHooks.outputLog(recoveryLogs).ifPresent(log -> RecoveryHooks.tail(log).forEach(
                line -> listener.getLogger().println("[rollbackTo] recovery output | " + line)));
    }

    /** ROLLBACK_RECOVER_TO for the command; checks recover/recoverTo go together and the time parses. */
    private Map<String, String> recoverEnvironment() throws AbortException {
        Map<String, String> env = new LinkedHashMap<>();
        if (step.getRecoverTo() != null) {
            if (step.getRecover() == null) {
                throw new AbortException(Messages.RollbackToStep_RecoverToWithoutRecover(step.getRecoverTo()));
            }
            try {
                env.put("ROLLBACK_RECOVER_TO", Instant.parse(step.getRecoverTo()).toString());
            } catch (DateTimeParseException e) {
                throw new AbortException(Messages.RollbackToStep_BadRecoverTo(step.getRecoverTo()));
            }
        }
        return env;
    }

    /** The confirmed recovery: {@code recover:} is the confirmation, by the actor the step names everywhere. */
    private Optional<RestoreRequest.Recovery> recovery(String target, OperationContext context, FileRecordStore store,
            Path logDir, Map<String, String> env) throws AbortException, OperationException {
        if (step.getRecover() == null) {
            return Optional.empty();
        }
        Optional<dev.rollbackdeploy.database.RecoveryHook> hook = RecoveryHooks.forTarget(target, context.store(), logDir);
        if (hook.isEmpty()) {
            throw new AbortException(Messages.RollbackToStep_RecoverNotConfigured(target, RecoveryHooks.targets()));
        }
        return Optional.of(new RestoreRequest.Recovery(hook.get(), new RecoveryConfirmation(context.actor(),
                step.getRecover()), env));
    }

    /** Whether the store has a record of this build already (a corrupt one counts: never write over it). */
    private static boolean hasRecord(FileRecordStore store, BuildRef self) throws InterruptedException {
        try {
            Restore.record(store, self);
            return true;
        } catch (OperationException e) {
            return e.kind() != OperationException.Kind.INVALID;
        }
    }

    /** The restore's own record on this build's page, or a line saying it is in the audit log only. */
    private static void attachRecord(Run<?, ?> run, FileRecordStore store, RestoreResult result, BuildRef self,
            OperationContext context) throws IOException, InterruptedException {
        if (result.recorded().isPresent()) {
            try {
                DeploymentRecord own = Restore.record(store, result.recorded().get());
                DeploymentRecordAction.attachRecordToRun(run, own);
                context.progress().report(Messages.RollbackToStep_RecordedAs(own.ref(), own.outcome().status()));
            } catch (OperationException e) {
                context.progress().report("WARNING: the restore's record cannot be shown on this build: " + e.getMessage());
            }
        } else if (result.status() != RestoreResult.Status.ALREADY_LIVE || !result.flags().isEmpty()) {
            context.progress().report(Messages.RollbackToStep_AuditOnly(self));
        }
    }

    private static Map<String, Object> returned(BuildRef ref, RestoreResult result) {
        Map<String, Object> returned = new LinkedHashMap<>();
        returned.put("status", result.status().name());
        returned.put("build", ref.toString());
        returned.put("writes", result.writes());
        returned.put("actions", result.plan().actions().size());
        result.schema().ifPresent(decision -> returned.put("schemaCheck", decision.summary()));
        returned.put("flags", FlagResults.of(result.flags()));
        returned.put("recovery", result.recovery().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exitCode", r.exitCode());
            m.put("summary", r.summary());
            return (Object) m;
        }).orElse(null));
        returned.put("recorded", result.recorded().map(BuildRef::toString).orElse(null));
        return returned;
    }

    /** The restore on the restored job's Deployments page and that build's rollback history, when it is a job here. */
    private static void recordOnTheJob(Run<?, ?> run, BuildRef ref, String target, Optional<String> from, String who,
            String reason, int writes, String state) throws IOException {
        Job<?, ?> job = Jenkins.get().getItemByFullName(ref.job(), Job.class);
        if (job == null) {
            return;
        }
        String before = from.isPresent() ? from.get() : DeploymentHistory.live(job, target).orElse("");
        DeploymentHistory.recordRollback(job, ref.number(), new HistoryEntry(HistoryEntry.Kind.ROLLBACK, target, before,
                ref.toString(), who, Instant.now().toString(), reason, state, writes));
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
        // The front door's "newest live-and-good": promoted, or a restore's own record of the release it put back.
        // PROMOTED alone would, after a manual rollback, name the promoted build that was rolled back.
        return TargetStatus.newestPromoted(store, step.getTarget()).ref();
    }

    /** A restore runs again after a restart, except one that may already have run its (not idempotent) recovery. */
    @Override
    String notResumableBecause() {
        return step.getRecover() == null ? null : Messages.RollbackToStep_NotResumedWithRecovery();
    }

    @Override
    String stepName() {
        return "rollbackTo";
    }
}
