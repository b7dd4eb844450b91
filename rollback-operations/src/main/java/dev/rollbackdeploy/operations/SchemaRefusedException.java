package dev.rollbackdeploy.operations;

/**
 * The schema check refused a restore (REFUSED, nothing changed): its own type so a shell can add what it
 * knows, e.g. the CLI's "a recovery command is configured: run again with --recover REASON".
 */
public final class SchemaRefusedException extends OperationException {
    private static final long serialVersionUID = 1L;

    public SchemaRefusedException(String message) {
        super(Kind.REFUSED, message);
    }
}
