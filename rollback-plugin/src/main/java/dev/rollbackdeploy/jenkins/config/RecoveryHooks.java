package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.operations.OperationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * The configured point-in-time-recovery command of a target ({@link RecoveryCommandConfig}) as the front
 * door's {@link RecoveryHook}: audited in the controller's audit log (beside the record store), each run's
 * output in {@code JENKINS_HOME/rollback-deploy/recovery/}, where people read it (the build log and the
 * progress page show its tail).
 */
public final class RecoveryHooks {

    /** Lines of a run's output shown in the build log or on the progress page. */
    public static final int TAIL_LINES = 20;

    private RecoveryHooks() {
    }

    /** {@code JENKINS_HOME/rollback-deploy/recovery}. */
    public static Path logDir() {
        return Jenkins.get().getRootDir().toPath().resolve("rollback-deploy").resolve("recovery");
    }

    public static boolean configured(String target) {
        return RollbackConfiguration.get().recoveryCommand(target).isPresent();
    }

    /**
     * @param recordStore the record store whose audit log the run is appended to
     * @throws OperationException INVALID naming a bad command or timeout
     */
    public static Optional<RecoveryHook> forTarget(String target, Path recordStore) throws OperationException {
        Optional<RecoveryCommandConfig> config = RollbackConfiguration.get().recoveryCommand(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RecoveryHook(config.get().toCommand(), AuditLog.besideStore(recordStore), Clock.systemUTC(),
                logDir()));
    }

    /** The last {@link #TAIL_LINES} lines of a run's output log, or why it cannot be read. */
    public static List<String> tail(Path outputLog) {
        try {
            List<String> lines = Files.readAllLines(outputLog, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + outputLog + ": " + e.getMessage() + ")");
        }
    }
}
