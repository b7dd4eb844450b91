package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.lock.TargetLockedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * One mutator per target: commands that change a target hold its lock, a file under the store's
 * sibling {@code locks} directory (so every CLI run sharing a store shares the locks).
 */
final class LockOption {

    @Option(names = "--lock-wait", defaultValue = "PT0S", paramLabel = "DURATION",
            description = "How long to wait when another run holds the target's lock (ISO-8601, default ${DEFAULT-VALUE}: fail at once with exit 4).")
    Duration wait;

    static Path locksDir(Path store) {
        Path absolute = store.toAbsolutePath().normalize();
        return absolute.getParent() == null ? absolute.resolve("locks") : absolute.getParent().resolve("locks");
    }

    TargetLock.Held acquire(Path store, String target, String holder, Consumer<String> progress)
            throws CliException, InterruptedException {
        if (wait.isNegative()) {
            throw new CliException(ExitCode.USAGE, "--lock-wait must be zero or positive, got " + wait);
        }
        try {
            TargetLock.Held held = new FileTargetLock(locksDir(store)).acquire(target, holder, wait);
            held.tookOverFrom().ifPresent(dead -> progress.accept("took over the lock of " + target + " abandoned by "
                    + dead + " (that process is gone)"));
            return held;
        } catch (TargetLockedException e) {
            throw new CliException(ExitCode.TARGET_LOCKED, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot take the lock of target " + target + " in "
                    + locksDir(store) + ": " + e.getMessage(), e);
        }
    }
}
