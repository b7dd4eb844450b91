package dev.rollbackdeploy.database;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import dev.rollbackdeploy.schema.RecoveryRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the user's point-in-time-recovery command, only on explicit confirmation, and records the run
 * in the audit log. Not idempotent (a recovery is run again if asked again). The command gets
 * {@code ROLLBACK_TARGET}, {@code ROLLBACK_TO_BUILD} and whatever the caller adds (e.g. the time to
 * recover to) in its environment; its output goes to a log file, never to the record.
 */
public final class RecoveryHook {

    private final RecoveryCommand command;
    private final AuditLog audit;
    private final Clock clock;
    private final Path logDir;

    /** @param logDir where each run's output log is kept for people to read */
    public RecoveryHook(RecoveryCommand command, AuditLog audit, Clock clock, Path logDir) {
        if (command == null || audit == null || clock == null || logDir == null) {
            throw new IllegalArgumentException("a recovery hook needs a command, an audit log, a clock and a log directory, "
                    + "got " + command + ", " + audit + ", " + clock + ", " + logDir);
        }
        this.command = command;
        this.audit = audit;
        this.clock = clock;
        this.logDir = logDir;
    }

    /** The command's output of one run, for people to read; not recorded. */
    public record Outcome(RecoveryRun run, Path outputLog) {
    }

    /**
     * @param confirmation empty unless a person confirmed this recovery; empty refuses and runs nothing
     * @param environment  extra variables for the command (e.g. {@code ROLLBACK_RECOVER_TO})
     * @throws IllegalStateException not confirmed; nothing was run or written
     */
    public Outcome run(Optional<RecoveryConfirmation> confirmation, String target, BuildRef to,
            Map<String, String> environment) throws IOException, InterruptedException {
        if (confirmation == null || confirmation.isEmpty()) {
            throw new IllegalStateException("point-in-time recovery (" + command.program() + ") runs only on explicit "
                    + "confirmation by a person; nothing was run");
        }
        Files.createDirectories(logDir);
        Path output = Files.createTempFile(logDir, "recovery-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("ROLLBACK_TARGET", target);
        builder.environment().put("ROLLBACK_TO_BUILD", to.toString());
        Instant started = clock.instant();
        Process process = builder.start();
        process.getOutputStream().close();
        int exit;
        try {
            exit = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        RecoveryRun run = new RecoveryRun(command.program(), confirmation.get(), exit, started, clock.instant());
        audit.append(new AuditEvent(run.finishedAt(), confirmation.get().by(), AuditAction.RECOVERY, target, null, to,
                confirmation.get().reason(), run.summary(), null));
        return new Outcome(run, output);
    }
}
