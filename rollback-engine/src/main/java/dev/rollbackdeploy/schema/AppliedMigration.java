package dev.rollbackdeploy.schema;

/**
 * One migration as the database's history table records it.
 *
 * @param version     its version ({@code flyway_schema_history.version}; a Liquibase changeset's
 *                    execution order)
 * @param description Flyway's description (the file name's words: {@code V7__expand_add_email.sql}
 *                    gives {@code expand add email}); a Liquibase changeset's id
 * @param script      the script or changelog file, for messages
 * @param success     false when the migration failed and the schema is in between
 */
public record AppliedMigration(SchemaVersion version, String description, String script, boolean success) {

    public AppliedMigration {
        if (version == null) {
            throw new IllegalArgumentException("an applied migration needs a version, got null for '" + script + "'");
        }
        description = description == null ? "" : description;
        script = script == null ? "" : script;
    }

    /** {@code V7 "expand add email" (V7__expand_add_email.sql)}. */
    public String label() {
        return "V" + version + " \"" + description + "\"" + (script.isEmpty() ? "" : " (" + script + ")");
    }
}
