package dev.rollbackdeploy.audit;

/**
 * One thing verification found wrong, with the line of the log it was seen on (0 when it concerns
 * the log as a whole) and a message a person can act on.
 */
public record AuditProblem(Kind kind, long line, String message) {

    public enum Kind {
        /** A line is not an audit entry at all. */
        UNREADABLE,
        /** The last line was cut off (no newline): an interrupted write, or an edit. */
        TRUNCATED,
        /** A line's content does not match its own hash. */
        EDITED,
        /** Entries are missing: in the middle, or at the end (the head says so). */
        REMOVED,
        /** Entries are not in chain order, or one appears twice. */
        REORDERED,
        /** An entry does not chain to the one before it: it was replaced by another, rehashed one. */
        REPLACED,
        /** The head file disagrees with the log's last entry, or is missing or unreadable. */
        HEAD_MISMATCH,
        /** A record an entry names is no longer in the record store. */
        RECORD_DELETED,
        /** A record an entry names has other content than when the entry was written. */
        RECORD_REPLACED,
        /** A record an entry names cannot be read or verified. */
        RECORD_UNREADABLE,
        /**
         * A record is in the store but no entry names it: entries were removed (the whole log and its
         * head, or its first entries with the rest re-chained), or something saved it without auditing.
         */
        RECORD_NOT_AUDITED
    }

    public AuditProblem {
        if (kind == null || message == null || message.isBlank() || line < 0) {
            throw new IllegalArgumentException("an audit problem needs a kind, a line >= 0 and a message, got "
                    + kind + ", " + line + ", '" + message + "'");
        }
    }

    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + kind + ": " + message;
    }
}
