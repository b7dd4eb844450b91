package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.DeploySafety;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.RestoreRequest;
import dev.rollbackdeploy.operations.SafetySpecFile;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What {@code rollback --to} offers for data safety beyond the schema check (docs/safety.md): the target's
 * deploy spec (its {@code flags:} kill switch and {@code recovery:} command), the confirmation that lets
 * the recovery command run for this one restore, and a record of the restore. Checked whole before the
 * restore starts, so bad input is exit 2 before any lock or write.
 */
final class RestoreSafetyOptions {

    @Option(names = "--spec", paramLabel = "FILE", description = "The target's deploy spec: its flags section is the "
            + "release's kill switch (turned off before the restore's first write, or instead of any write with "
            + "flags.mode instead-of-traffic), its recovery section the point-in-time-recovery command --recover runs.")
    Path spec;

    @Option(names = "--recover", paramLabel = "REASON", description = "Run the spec's recovery command before the schema "
            + "check, confirmed by you for this run, with this reason (audited as RECOVERY). Without it the command never runs.")
    String recover;

    @Option(names = "--recover-to", paramLabel = "TIME", description = "The time to recover the database to (ISO-8601, "
            + "e.g. 2026-12-04T11:00:00Z), given to the command as ROLLBACK_RECOVER_TO. Needs --recover.")
    String recoverTo;

    @Option(names = "--record-as", paramLabel = "JOB#N", description = "Save a record of this restore under this build "
            + "(outcome ROLLED_BACK, what is live afterwards, the schema check, recovery and flag changes); refused when "
            + "that build already has a record.")
    String recordAs;

    /** The settings, checked; nothing is locked or written. */
    record Settings(DeploySafety spec, Optional<RestoreRequest.Recovery> recovery, Optional<BuildRef> recordAs) {
        /** Whether the spec has a recovery command that was not confirmed for this run. */
        boolean recoveryNotConfirmed() {
            return spec.recovery().isPresent() && recovery.isEmpty();
        }
    }

    /**
     * @param context the run's context: the recovery's audit entries and output logs go beside its store
     * @throws CliException USAGE naming the option; OperationException INVALID for a bad spec
     */
    Settings check(OperationContext context) throws CliException, OperationException {
        DeploySafety safety = spec == null ? DeploySafety.NONE : SafetySpecFile.read(spec, System::getenv);
        Optional<BuildRef> as = recordAs == null ? Optional.empty() : Optional.of(Inputs.build("--record-as", recordAs));
        Map<String, String> environment = Map.of();
        if (recoverTo != null) {
            if (recover == null) {
                throw new CliException(ExitCode.USAGE, "--recover-to needs --recover REASON (the recovery command runs "
                        + "only when you confirm it)");
            }
            try {
                environment = Map.of("ROLLBACK_RECOVER_TO", Instant.parse(recoverTo).toString());
            } catch (DateTimeParseException e) {
                throw new CliException(ExitCode.USAGE, "--recover-to must be an ISO-8601 time, e.g. 2026-12-04T11:00:00Z, "
                        + "got '" + recoverTo + "'", e);
            }
        }
        if (recover == null) {
            return new Settings(safety, Optional.empty(), as);
        }
        if (safety.recovery().isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--recover needs a recovery command: give --spec FILE whose spec has "
                    + "recovery: {command: [/path/to/restore-to.sh, ...], timeout: PT10M}" + (spec == null ? ""
                    : "; " + spec + " has no recovery section"));
        }
        RecoveryConfirmation confirmation = Inputs.valid("--recover", () -> new RecoveryConfirmation(context.actor(), recover));
        return new Settings(safety, Optional.of(RestoreRequest.Recovery.beside(context, safety.recovery().get(), confirmation,
                environment)), as);
    }
}
