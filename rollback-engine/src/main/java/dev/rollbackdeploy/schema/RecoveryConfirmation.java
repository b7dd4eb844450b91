package dev.rollbackdeploy.schema;

/**
 * A person's explicit "yes, restore the database" for a point-in-time recovery: who, and why. Shells
 * create one only after asking (a CLI flag typed for this run, a Jenkins input step).
 */
public record RecoveryConfirmation(String by, String reason) {

    public RecoveryConfirmation {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("a recovery confirmation must name who confirmed, got '" + by + "'");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a recovery confirmation needs a reason, got '" + reason + "'");
        }
    }
}
