package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.OperationException;

/** The CLI's documented exit codes (also listed in `rollback --help` and docs/cli.md). */
enum ExitCode {
    OK(0, "done"),
    INTERNAL(1, "unexpected internal error (a bug: please report it with the output)"),
    USAGE(2, "bad command line or bad input file"),
    GATE_FAILED(3, "the metrics gate failed and the deployment was rolled back"),
    TARGET_LOCKED(4, "the target is locked by another deployment"),
    INFRASTRUCTURE(5, "a cluster, load balancer, registry or metrics server could not be used"),
    REFUSED(6, "refused: a record is corrupt or tampered, the plan needs what was not allowed, or the build was deployed before"),
    DRILL_FAILED(7, "the drill ran but did not pass (see its report)");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The exit code of a front-door failure. */
    static ExitCode of(OperationException.Kind kind) {
        return switch (kind) {
            case INVALID -> USAGE;
            case LOCKED -> TARGET_LOCKED;
            case INFRASTRUCTURE -> INFRASTRUCTURE;
            case REFUSED -> REFUSED;
        };
    }

    /** The table for help texts. */
    static String table() {
        StringBuilder out = new StringBuilder();
        for (ExitCode exit : values()) {
            out.append(String.format("  %d  %s%n", exit.code, exit.meaning));
        }
        return out.toString();
    }
}
