package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.schema.RecoveryRun;
import java.io.IOException;
import java.util.Optional;

/**
 * A restore's point-in-time recovery (docs/safety.md): the user's command, confirmed by a person for this
 * run, after the lock and before the schema check, so that the check then reads the recovered database.
 * The hook appends the RECOVERY audit entry itself; a failed run stops the restore before any write.
 */
final class RestoreRecovery {

    private final Optional<RestoreRequest.Recovery> recovery;
    private Optional<RecoveryRun> run = Optional.empty();

    RestoreRecovery(Optional<RestoreRequest.Recovery> recovery) {
        this.recovery = recovery;
    }

    boolean present() {
        return recovery.isPresent();
    }

    /**
     * @throws OperationException INFRASTRUCTURE when the command exited non-zero, timed out or could not be
     *                            started; nothing else was changed
     */
    void run(OperationContext context, String target, BuildRef build) throws OperationException, InterruptedException {
        if (recovery.isEmpty()) {
            return;
        }
        RestoreRequest.Recovery asked = recovery.get();
        context.progress().report("point-in-time recovery confirmed by " + asked.confirmation().by() + " ("
                + asked.confirmation().reason() + "): running it before the schema check");
        RecoveryHook.Outcome outcome;
        try {
            outcome = asked.hook().run(Optional.of(asked.confirmation()), target, build, asked.environment());
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "the recovery command could not be run: "
                    + e.getMessage() + "; nothing else was changed", e);
        }
        RecoveryRun done = outcome.run();
        if (!done.succeeded()) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, done.summary() + "; nothing else was"
                    + " changed; its output: " + outcome.outputLog());
        }
        context.progress().report(done.summary() + " (output: " + outcome.outputLog() + ")");
        run = Optional.of(done);
    }

    Optional<RecoveryRun> ran() {
        return run;
    }

    /** The audit entry's evidence part. */
    String summary() {
        return run.map(RecoveryRun::summary).orElse("");
    }
}
