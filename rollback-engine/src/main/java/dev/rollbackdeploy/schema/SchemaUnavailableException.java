package dev.rollbackdeploy.schema;

import java.io.IOException;

/** The live schema could not be read: the database is unreachable, refuses us, or has no history table. */
public final class SchemaUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public SchemaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
