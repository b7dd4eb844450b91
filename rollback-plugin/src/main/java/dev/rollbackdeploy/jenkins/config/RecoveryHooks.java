package dev.rollbackdeploy.jenkins.config;

import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.database.RecoveryHook;
import dev.rollbackdeploy.operations.OperationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
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
    public static Path logRoot() {
        return Jenkins.get().getRootDir().toPath().resolve("rollback-deploy").resolve("recovery");
    }

    /**
     * One restore's own directory under {@link #logRoot()} ({@code ops-12-3f9a1c2e}), so its run's output log is the
     * one file in it: the front door's result names the run, not its log file.
     */
    public static Path logDir(String restore) {
        return logRoot().resolve(restore.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The output log of the run in {@code dir} (the newest file), if it ran. */
    public static Optional<Path> outputLog(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static boolean configured(String target) {
        return RollbackConfiguration.get().recoveryCommand(target).isPresent();
    }

    /** The targets that have a recovery command, for messages. */
    public static List<String> targets() {
        return RollbackConfiguration.get().getRecoveryCommands().stream().map(RecoveryCommandConfig::getTarget).toList();
    }

    /**
     * @param recordStore the record store whose audit log the run is appended to
     * @param logDir      where the run's output goes ({@link #logDir(String)})
     * @throws OperationException INVALID naming a bad command or timeout
     */
    public static Optional<RecoveryHook> forTarget(String target, Path recordStore, Path logDir) throws OperationException {
        Optional<RecoveryCommandConfig> config = RollbackConfiguration.get().recoveryCommand(target);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RecoveryHook(config.get().toCommand(), AuditLog.besideStore(recordStore), Clock.systemUTC(),
                logDir));
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
