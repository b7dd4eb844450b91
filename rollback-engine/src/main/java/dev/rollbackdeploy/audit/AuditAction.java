package dev.rollbackdeploy.audit;

/** What an audit event reports: the closed list of things that change or judge a target. */
public enum AuditAction {
    /** A deployment ran (promoted, rolled back or failed; the reason says which). */
    DEPLOY,
    /** A metrics gate decided; the evidence summary says on what. */
    GATE_VERDICT,
    /** A rollout was stopped and traffic put back on stable. */
    ABORT,
    /** A recorded build was restored. */
    ROLLBACK,
    /** A rollback drill ran. */
    DRILL,
    /** A safety check was overridden by a person; the reason is theirs. */
    OVERRIDE,
    /** A point-in-time recovery command was run on explicit confirmation. */
    RECOVERY
}
