package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.record.BuildRef;
import java.util.function.Supplier;

/** Turns the engine's validation errors into usage errors that name the option. */
final class Inputs {

    private Inputs() {
    }

    static BuildRef build(String option, String text) throws CliException {
        return valid(option, () -> BuildRef.parse(text));
    }

    static <T> T valid(String what, Supplier<T> construct) throws CliException {
        try {
            return construct.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, what + ": " + e.getMessage(), e);
        }
    }
}
