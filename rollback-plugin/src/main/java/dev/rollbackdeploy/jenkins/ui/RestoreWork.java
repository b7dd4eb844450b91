package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.jenkins.config.KillSwitches;
import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.config.RecoveryHooks;
import dev.rollbackdeploy.jenkins.config.SchemaChecks;
import dev.rollbackdeploy.jenkins.ui.RestoreRun.State;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.FlagSwitch;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.RestoreRequest;
import dev.rollbackdeploy.operations.RestoreResult;
import dev.rollbackdeploy.operations.RestoreSequence;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import hudson.model.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The restore itself, on the queue's one-off executor: the front door's {@link Restore#run} under the
 * target's lock (taken without waiting: a second writer is refused, not queued behind), exactly as
 * {@code rollback --to} does; this class only translates its outcome into the restore's state. Whatever happens, the lock is released, the claim is released, and the
 * outcome lands on the job's Deployments page and the restored build's rollback history.
 */
final class RestoreWork {

    private static final Logger LOG = Logger.getLogger(RestoreWork.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Schema overrides typed on the confirm form, by restore id, until the restore takes them. Kept here rather
     * than on the persisted {@link RestoreRun}: a reason is only needed by the run it was typed for.
     */
    private static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();

    /** The reasons given with the form's "also run the point-in-time recovery command" checkbox, by restore id, likewise. */
    private static final Map<String, String> RECOVERIES = new ConcurrentHashMap<>();

    private RestoreWork() {
    }

    /** The confirm form's override reason for this restore (blank: none). */
    static void overrideSchema(RestoreRun run, String reason) {
        if (reason != null && !reason.isBlank()) {
            OVERRIDES.put(run.getId(), reason.strip());
        }
    }

    /** The clicking user confirmed the point-in-time recovery for this restore, for this reason. */
    static void recover(RestoreRun run, String reason) {
        RECOVERIES.put(run.getId(), reason.strip());
    }

    static void run(RestoreRun run) {
        run.running();
        Clock clock = Clock.systemUTC();
        String from = null;
        Path recoveryLogs = RecoveryHooks.logDir("restore-" + run.getId());
        try {
            FileRecordStore store = ControllerRecords.store();
            BuildRef ref = BuildRef.parse(run.getBuildRef());
            DeploymentRecord record = Restore.record(store, ref);
            String override = OVERRIDES.remove(run.getId());
            String recoverReason = RECOVERIES.remove(run.getId());
            OperationContext context = OperationContext.nextToStore(ControllerRecords.storeDir(), Duration.ZERO,
                    run.getRequestedBy(), clock, run::log);
            Optional<FlagSwitch> flags = KillSwitches.forItem(run.getJob(), record.targetKey());
            Optional<RestoreRequest.Recovery> recovery = recovery(run, record.targetKey(), recoverReason, recoveryLogs);
            RestoreResult result;
            try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofItem(run.getJob()))) {
                result = Restore.run(context, RestoreRequest.of(record, live.cluster(), live.description(),
                        "Roll back to this build (Jenkins): " + record.targetKey() + " to " + ref + " by "
                                + run.getRequestedBy()).withRegistry(Restore.registries(true)).withReadyTimeout(READY_TIMEOUT)
                        .withSchema(SchemaChecks.forItem(run.getJob(), record.targetKey()).map(Datasource::preflight))
                        .withSchemaOverride(override)
                        // a click runs in no build: no record of its own, the audit log has the restore
                        .withKillSwitch(flags).withRecovery(recovery));
            }
            RestoreOutcomeLines.log(run, result, recoveryLogs);
            from = result.from().map(BuildRef::toString).orElse(null);
            run.log(result.plan().render().strip());
            switch (result.status()) {
                case PLAN_REFUSED -> finish(run, State.REFUSED, Messages.RestoreWork_Refused(
                        String.join("; ", result.plan().refusals())), 0, from);
                case ALREADY_LIVE, DRY_RUN -> finish(run, State.ALREADY_LIVE, Messages.RestoreWork_AlreadyLive(ref), 0, from);
                case RESTORED -> finish(run, State.RESTORED, Messages.RestoreWork_Restored(ref, result.writes()),
                        result.writes(), from);
                case FLAGS_OFF -> finish(run, State.FLAGS_OFF, Messages.RestoreWork_FlagsOff(result.summary()), 0, from);
                default -> throw new AssertionError(result.status());
            }
        } catch (OperationException e) {
            RestoreOutcomeLines.recoveryOutput(run, recoveryLogs); // a failed recovery stopped the restore: show why
            finish(run, e.kind() == OperationException.Kind.LOCKED ? State.LOCKED
                    : e.kind() == OperationException.Kind.INFRASTRUCTURE ? State.FAILED : State.REFUSED, e.getMessage(), -1,
                    from);
        } catch (InterruptedException e) {
            finish(run, State.CANCELLED, Messages.RestoreWork_Interrupted(), -1, from);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "restore " + run.getId() + " of " + run.getBuildRef() + " failed", e);
            finish(run, State.FAILED, Messages.RestoreWork_Failed(e.getMessage()), -1, from);
        } finally {
            OVERRIDES.remove(run.getId());
            RECOVERIES.remove(run.getId());
            ActiveRestores.release(run);
        }
    }

    /** The recovery the clicking user confirmed (by their user id), or none; INVALID when no command is configured. */
    private static Optional<RestoreRequest.Recovery> recovery(RestoreRun run, String target, String reason, Path logDir)
            throws OperationException {
        if (reason == null) {
            return Optional.empty();
        }
        RecoveryHook hook = RecoveryHooks.forTarget(target, ControllerRecords.storeDir(), logDir).orElseThrow(
                () -> new OperationException(OperationException.Kind.INVALID, Messages.RestoreWork_NoRecoveryCommand(target)));
        return Optional.of(new RestoreRequest.Recovery(hook, new RecoveryConfirmation(run.getRequestedBy(), reason),
                Map.of()));
    }

    static void cancelledInQueue(RestoreRun run) {
        try {
            finish(run, State.CANCELLED, Messages.RestoreWork_CancelledInQueue(), -1, null);
        } finally {
            OVERRIDES.remove(run.getId());
            RECOVERIES.remove(run.getId());
            ActiveRestores.release(run);
        }
    }

    /**
     * Logs the outcome and records it on the job and on the restored build; recording never hides the outcome.
     * The audit entry is the front door's ({@link RestoreSequence}): every restore that was refused, failed or wrote.
     *
     * @param from the build live before as the restore found it, or null (then the job's history says)
     */
    private static void finish(RestoreRun run, State state, String summary, int writes, String from) {
        String live = from == null ? "" : from;
        if (from == null) {
            try {
                live = DeploymentHistory.live(run.getJob(), run.getTarget()).orElse("");
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot read the deployment history of " + run.getJob().getFullName(), e);
            }
        }
        run.finish(state, summary, writes);
        HistoryEntry entry = new HistoryEntry(HistoryEntry.Kind.ROLLBACK, run.getTarget(), live, run.getBuildRef(),
                run.getRequestedBy(), java.time.Instant.now().toString(), summary, state.name(), writes);
        try {
            DeploymentHistory.recordRollback(run.getJob(), run.getBuild(), entry);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the restore " + run.getId() + " on " + run.getJob().getFullName(), e);
        }
    }
}
