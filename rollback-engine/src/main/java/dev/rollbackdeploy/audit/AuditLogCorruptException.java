package dev.rollbackdeploy.audit;

import java.io.IOException;

/**
 * The audit log cannot be appended to because its end is not a whole, verified entry (a cut-off
 * write, an edit, removed entries). Nothing was written; a person must look at the log first.
 */
public final class AuditLogCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public AuditLogCorruptException(String message) {
        super(message);
    }
}
