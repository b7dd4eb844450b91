package dev.rollbackdeploy.jenkins.ui;

/**
 * One deploy or rollback of a target, as the job's Deployments page and a build's rollback history
 * show it: who, when, from which build to which, why, and how it ended. A plain final class (XStream
 * writes it into the job's history file and the build's {@code build.xml}); no secret ever enters it.
 */
public final class HistoryEntry {

    /** A deploy (a step recorded a build) or a rollback (a restore of a recorded build). */
    public enum Kind { DEPLOY, ROLLBACK }

    private final Kind kind;
    private final String target;
    private final String from;
    private final String to;
    private final String who;
    private final String when;
    private final String reason;
    private final String outcome;
    private final int writes;

    public HistoryEntry(Kind kind, String target, String from, String to, String who, String when, String reason,
            String outcome, int writes) {
        this.kind = kind;
        this.target = target;
        this.from = from;
        this.to = to;
        this.who = who;
        this.when = when;
        this.reason = reason == null ? "" : reason;
        this.outcome = outcome;
        this.writes = writes;
    }

    public Kind getKind() {
        return kind;
    }

    public String getTarget() {
        return target;
    }

    /** The build live before, or "" when not known. */
    public String getFrom() {
        return from == null ? "" : from;
    }

    public String getTo() {
        return to;
    }

    public String getWho() {
        return who;
    }

    /** ISO-8601 instant. */
    public String getWhen() {
        return when;
    }

    public String getReason() {
        return reason;
    }

    public String getOutcome() {
        return outcome;
    }

    /** Writes made on the target (rollbacks; -1 when the restore did not get that far). */
    public int getWrites() {
        return writes;
    }

    /** Whether this entry left {@link #getTo()} live. */
    public boolean isEffective() {
        return "PROMOTED".equals(outcome) || "DEPLOYED".equals(outcome) || "RESTORED".equals(outcome)
                || "ALREADY_LIVE".equals(outcome);
    }
}
