package dev.rollbackdeploy.record;

import java.util.Optional;

/**
 * How a build's deployment ended. Abort, rollback and failure carry a reason; a rollback also
 * names the build whose state was restored. Any outcome may name a restored build, because a
 * deliberate restore of an earlier build is itself a deployment.
 *
 * @param reason       why; empty when nothing needs explaining
 * @param restoredFrom the build whose recorded state was put back, or null
 */
public record Outcome(Status status, String reason, BuildRef restoredFrom) {

    public enum Status {
        DEPLOYED, PROMOTED, ABORTED, ROLLED_BACK, FAILED
    }

    private static final int MAX_REASON = 4000;

    public Outcome {
        if (status == null) {
            throw new IllegalArgumentException("outcome status must be one of DEPLOYED, PROMOTED, ABORTED, ROLLED_BACK, "
                    + "FAILED, got null");
        }
        reason = reason == null ? "" : reason;
        boolean needsReason = status == Status.ABORTED || status == Status.ROLLED_BACK || status == Status.FAILED;
        if (needsReason && reason.isBlank()) {
            throw new IllegalArgumentException("outcome " + status + " needs a reason, got '" + reason + "'");
        }
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("outcome reason must be at most " + MAX_REASON + " characters, got "
                    + reason.length());
        }
        if (status == Status.ROLLED_BACK && restoredFrom == null) {
            throw new IllegalArgumentException("outcome ROLLED_BACK must name the build it restored, got none");
        }
    }

    public static Outcome deployed() {
        return new Outcome(Status.DEPLOYED, "", null);
    }

    public static Outcome promoted() {
        return new Outcome(Status.PROMOTED, "", null);
    }

    public static Outcome aborted(String reason) {
        return new Outcome(Status.ABORTED, reason, null);
    }

    public static Outcome failed(String reason) {
        return new Outcome(Status.FAILED, reason, null);
    }

    public static Outcome rolledBack(String reason, BuildRef restoredFrom) {
        return new Outcome(Status.ROLLED_BACK, reason, restoredFrom);
    }

    public Optional<BuildRef> restoredFromIfAny() {
        return Optional.ofNullable(restoredFrom);
    }
}
