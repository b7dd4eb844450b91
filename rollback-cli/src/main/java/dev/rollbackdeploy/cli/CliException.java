package dev.rollbackdeploy.cli;

/** A failure the user can act on: printed as one message, mapped to an exit code. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    final transient ExitCode exit;

    CliException(ExitCode exit, String message, Throwable cause) {
        super(message, cause);
        this.exit = exit;
    }

    CliException(ExitCode exit, String message) {
        this(exit, message, null);
    }
}
