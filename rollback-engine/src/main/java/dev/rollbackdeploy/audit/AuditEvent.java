package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.record.BuildRef;
import java.time.Instant;

/**
 * One thing that happened to a target, as a person will read it later: who did what, to which
 * target, from which build to which, why, and on which evidence. Immutable and validated, so a bad
 * event is refused before anything is written.
 *
 * @param at       when it happened
 * @param actor    who: a user name, or the build that acted ({@code team/shop#42})
 * @param action   what
 * @param target   the target key
 * @param from     the build live before, or null (a first deployment, a gate verdict)
 * @param to       the build live after, or null (a drill, a verdict)
 * @param reason   why, in words (required: an audit entry without a reason answers nothing)
 * @param evidence a short summary of the evidence ("p=0.002, 5xx 4.1% vs 0.2%"), may be empty
 * @param record   the record this event is about, pinned by content, or null
 */
public record AuditEvent(Instant at, String actor, AuditAction action, String target, BuildRef from, BuildRef to,
        String reason, String evidence, RecordRef record) {

    static final int MAX_NAME = 200;
    static final int MAX_REASON = 4_000;
    static final int MAX_EVIDENCE = 16_000;

    public AuditEvent {
        if (at == null) {
            throw new IllegalArgumentException("audit event needs a time (at), got null");
        }
        if (action == null) {
            throw new IllegalArgumentException("audit event needs an action (one of "
                    + java.util.Arrays.toString(AuditAction.values()) + "), got null");
        }
        name("actor", actor);
        name("target", target);
        text("reason", reason, MAX_REASON);
        if (reason.isBlank()) {
            throw new IllegalArgumentException("audit event reason must say why, got a blank reason");
        }
        evidence = evidence == null ? "" : evidence;
        text("evidence", evidence, MAX_EVIDENCE);
    }

    private static void name(String field, String value) {
        if (value == null || value.isBlank() || !value.equals(value.strip()) || value.length() > MAX_NAME
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("audit event " + field + " must be 1-" + MAX_NAME
                    + " characters without control characters or surrounding spaces, got '" + value + "'");
        }
    }

    private static void text(String field, String value, int max) {
        if (value == null || value.length() > max) {
            throw new IllegalArgumentException("audit event " + field + " must be at most " + max + " characters, got "
                    + (value == null ? "null" : value.length() + " characters"));
        }
    }
}
