package dev.rollbackdeploy.operations;

/**
 * A failure of a front-door operation that a person can act on, with its kind, so that each shell
 * maps it once: the CLI to its exit codes, a Jenkins step to an {@code AbortException} with the
 * message. The message says what was wrong and whether anything was changed.
 */
public class OperationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, in the CLI's exit-code terms. */
    public enum Kind {
        /** Bad input: a spec field, a build name, a flag (CLI exit 2). Nothing was locked or written. */
        INVALID,
        /** Another run holds the target's lock (CLI exit 4). Nothing was written. */
        LOCKED,
        /** A load balancer, metrics server, store or registry could not be used (CLI exit 5). */
        INFRASTRUCTURE,
        /** Refused on purpose: a corrupt record, a plan needing what was not allowed, a build already recorded (exit 6). */
        REFUSED
    }

    private final Kind kind;

    public OperationException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public OperationException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
