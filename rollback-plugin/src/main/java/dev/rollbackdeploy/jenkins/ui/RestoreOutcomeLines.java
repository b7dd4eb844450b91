package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.jenkins.config.RecoveryHooks;
import dev.rollbackdeploy.operations.RestoreResult;
import dev.rollbackdeploy.schema.RecoveryRun;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kill switch's and the recovery's part of a button's restore, as lines on its progress page: each flag's
 * change, the recovery's exit code, who confirmed it, where its output is and the output's last lines.
 */
final class RestoreOutcomeLines {

    private RestoreOutcomeLines() {
    }

    static void log(RestoreRun run, RestoreResult result, Path recoveryLogs) {
        for (FlagChange change : result.flags()) {
            run.log(Messages.RestoreOutcomeLines_Flag(change.flag(), change.before() ? "on" : "off",
                    change.after() ? "on" : "off"));
        }
        if (result.recovery().isPresent()) {
            RecoveryRun recovery = result.recovery().get();
            Optional<Path> output = RecoveryHooks.outputLog(recoveryLogs);
            run.log(Messages.RestoreOutcomeLines_Recovery(recovery.exitCode(), recovery.summary(),
                    recovery.confirmation().by(), recovery.confirmation().reason(), output.map(Path::toString).orElse("none")));
            recoveryOutput(run, recoveryLogs);
        }
        run.log(Messages.RestoreOutcomeLines_AuditOnly());
    }

    /** The last lines of a recovery's output, when one ran (e.g. before a failed recovery stopped the restore). */
    static void recoveryOutput(RestoreRun run, Path recoveryLogs) {
        RecoveryHooks.outputLog(recoveryLogs).ifPresent(log -> {
            run.log(Messages.RestoreOutcomeLines_Output(log));
            RecoveryHooks.tail(log).forEach(line -> run.log("recovery output | " + line));
        });
    }
}
