package dev.rollbackdeploy.gate;

/**
 * What one judge concluded about one metric at one look. Only {@link Pass} counts towards promotion;
 * {@link NoData} and {@link Error} are budgeted by the evaluator and never read as healthy.
 */
public sealed interface Verdict {

    /** A sentence a person can act on: what was measured and against which bound. */
    String reason();

    /** The short name used in evidence and reports ({@code "PASS"}, {@code "FAIL"}, ...). */
    default String kind() {
        if (this instanceof Pass) {
            return "PASS";
        } else if (this instanceof Fail) {
            return "FAIL";
        } else if (this instanceof Inconclusive) {
            return "INCONCLUSIVE";
        } else if (this instanceof NoData) {
            return "NO_DATA";
        } else if (this instanceof Error) {
            return "ERROR";
        }
        throw new AssertionError(this);
    }

    /** Rebuilds a verdict from {@link #kind()} and {@link #reason()} (evidence read back from JSON). */
    static Verdict of(String kind, String reason) {
        return switch (kind) {
            case "PASS" -> new Pass(reason);
            case "FAIL" -> new Fail(reason);
            case "INCONCLUSIVE" -> new Inconclusive(reason, false);
            case "ACCUMULATING" -> new Inconclusive(reason, true);
            case "NO_DATA" -> new NoData(reason);
            case "ERROR" -> new Error(reason);
            default -> throw new IllegalArgumentException(
                    "verdict kind must be PASS, FAIL, INCONCLUSIVE, ACCUMULATING, NO_DATA or ERROR, got " + kind);
        };
    }

    /** Enough evidence that the canary is healthy for this metric. */
    record Pass(String reason) implements Verdict {
        public Pass {
            requireReason(reason);
        }
    }

    /** Enough evidence that the canary is worse than allowed. */
    record Fail(String reason) implements Verdict {
        public Fail {
            requireReason(reason);
        }
    }

    /**
     * Not enough evidence either way. {@code accumulating} marks a sequential judge that is still
     * gathering evidence by design (more traffic will settle it); such looks are not charged to the
     * inconclusive budget. A window judge with too few samples is a plain (charged) inconclusive.
     */
    record Inconclusive(String reason, boolean accumulating) implements Verdict {
        public Inconclusive {
            requireReason(reason);
        }

        public Inconclusive(String reason) {
            this(reason, false);
        }

        @Override
        public String kind() {
            return accumulating ? "ACCUMULATING" : "INCONCLUSIVE";
        }
    }

    /** The source answered with nothing usable (empty, NaN, stale, no traffic). */
    record NoData(String reason) implements Verdict {
        public NoData {
            requireReason(reason);
        }
    }

    /** The source could not answer (HTTP error, timeout). */
    record Error(String reason) implements Verdict {
        public Error {
            requireReason(reason);
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a verdict needs a reason, got " + (reason == null ? "null" : "blank"));
        }
    }
}
