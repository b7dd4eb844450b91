package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.schema.RecoveryCommand;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A spec's {@code recovery} section: {@code command} (the program and its arguments, as a list: no shell
 * runs it) and {@code timeout} (ISO-8601, default 10 minutes). Each problem names the field and the value.
 */
final class SafetyRecovery {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private SafetyRecovery() {
    }

    static Optional<RecoveryCommand> command(Object command, Object timeout, List<SpecProblem> problems) {
        List<String> argv = null;
        if (command instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(a -> a instanceof String || a instanceof Number)) {
            argv = list.stream().map(String::valueOf).toList();
        } else {
            problems.add(new SpecProblem("recovery.command", String.valueOf(command), "must be a list: the program and its "
                    + "arguments, e.g. [/opt/db/restore-to.sh, --cluster, shop] (no shell runs it)"));
        }
        Duration limit = DEFAULT_TIMEOUT;
        if (timeout != null) {
            try {
                limit = Duration.parse(String.valueOf(timeout));
            } catch (DateTimeParseException e) {
                problems.add(new SpecProblem("recovery.timeout", String.valueOf(timeout), "must be an ISO-8601 duration "
                        + "between 1 s and 12 h, e.g. PT10M"));
                return Optional.empty();
            }
        }
        if (argv == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecoveryCommand(argv, limit));
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(e.getMessage().contains("timeout") ? "recovery.timeout" : "recovery.command",
                    e.getMessage().contains("timeout") ? String.valueOf(timeout) : String.valueOf(command),
                    "is not valid: " + e.getMessage()));
            return Optional.empty();
        }
    }
}
