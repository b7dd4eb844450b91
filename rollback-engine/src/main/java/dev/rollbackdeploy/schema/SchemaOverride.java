package dev.rollbackdeploy.schema;

/**
 * A person's decision to roll back although the schema check refused: who, and why in their words.
 * Recorded with the refusal it overrides, in the record and the audit log.
 */
public record SchemaOverride(String by, String reason) {

    public SchemaOverride {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("a schema override must say who overrides, got '" + by + "'");
        }
        if (reason == null || reason.strip().length() < 10) {
            throw new IllegalArgumentException("a schema override needs a reason of at least 10 characters saying why "
                    + "the old build is safe on this schema, got '" + reason + "'");
        }
    }
}
