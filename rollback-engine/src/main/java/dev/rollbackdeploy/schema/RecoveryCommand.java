package dev.rollbackdeploy.schema;

import java.time.Duration;
import java.util.List;

/**
 * The user's point-in-time-recovery command (e.g. a script that restores the database to a time with
 * pgBackRest or a cloud provider's API), run only when a person confirms. Arguments are passed as
 * they are, without a shell; credentials belong in the environment, not in the arguments, because the
 * program name is recorded.
 *
 * @param argv    the program and its arguments
 * @param timeout how long it may run before it is stopped and counted as failed
 */
public record RecoveryCommand(List<String> argv, Duration timeout) {

    public RecoveryCommand {
        if (argv == null || argv.isEmpty() || argv.stream().anyMatch(a -> a == null || a.isEmpty())) {
            throw new IllegalArgumentException("recovery command must be a program and its arguments, none empty, got " + argv);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("recovery command timeout must be between 1 s and 12 h, got " + timeout);
        }
        argv = List.copyOf(argv);
    }

    /** The program alone: what records and the audit log name (arguments may hold what should not be kept). */
    public String program() {
        return argv.get(0);
    }
}
