package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.OperationContext;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * One mutator per target: commands that change a target hold its lock, a file under the store's
 * sibling {@code locks} directory (so every CLI run sharing a store shares the locks). The front door
 * takes it; this is only the option.
 */
final class LockOption {

    @Option(names = "--lock-wait", defaultValue = "PT0S", paramLabel = "DURATION",
            description = "How long to wait when another run holds the target's lock (ISO-8601, default ${DEFAULT-VALUE}: fail at once with exit 4).")
    Duration wait;

    static Path locksDir(Path store) {
        return OperationContext.locksNextTo(store);
    }

    /** The wait, checked: a negative one is a usage error. */
    Duration checkedWait() throws CliException {
        if (wait.isNegative()) {
            throw new CliException(ExitCode.USAGE, "--lock-wait must be zero or positive, got " + wait);
        }
        return wait;
    }
}
