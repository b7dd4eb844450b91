package dev.rollbackdeploy.gate;

/** Cumulative request and error counts of both arms since the gate started. */
public record ErrorCounts(long canaryErrors, long canaryRequests, long baselineErrors, long baselineRequests) {

    public static final ErrorCounts ZERO = new ErrorCounts(0, 0, 0, 0);

    public ErrorCounts {
        if (canaryErrors < 0 || canaryRequests < 0 || baselineErrors < 0 || baselineRequests < 0) {
            throw new IllegalArgumentException("counts must not be negative, got " + describe(
                    canaryErrors, canaryRequests, baselineErrors, baselineRequests));
        }
        if (canaryErrors > canaryRequests || baselineErrors > baselineRequests) {
            throw new IllegalArgumentException("errors cannot exceed requests, got " + describe(
                    canaryErrors, canaryRequests, baselineErrors, baselineRequests));
        }
    }

    /**
     * Counts from a counter query as Prometheus gives them: increase() extrapolates, so values are
     * rounded to whole requests; errors above requests (scrape skew) are clipped to the requests.
     */
    public static ErrorCounts fromMeasured(double canaryErrors, double canaryRequests, double baselineErrors,
                                           double baselineRequests) {
        long cr = Math.round(canaryRequests);
        long br = Math.round(baselineRequests);
        return new ErrorCounts(Math.min(Math.round(canaryErrors), cr), cr, Math.min(Math.round(baselineErrors), br), br);
    }

    public boolean anyBelow(ErrorCounts earlier) {
        return canaryErrors < earlier.canaryErrors || canaryRequests < earlier.canaryRequests
                || baselineErrors < earlier.baselineErrors || baselineRequests < earlier.baselineRequests;
    }

    /**
     * Whether the counts since {@code earlier} are counts at all: for each arm the errors added are at most the
     * requests added. Each look's counts can be consistent and their difference not, because Prometheus'
     * increase() extrapolates the error and the request series apart.
     */
    public boolean grewConsistentlySince(ErrorCounts earlier) {
        return canaryErrors - earlier.canaryErrors <= canaryRequests - earlier.canaryRequests
                && baselineErrors - earlier.baselineErrors <= baselineRequests - earlier.baselineRequests;
    }

    public ErrorCounts minus(ErrorCounts earlier) {
        return new ErrorCounts(canaryErrors - earlier.canaryErrors, canaryRequests - earlier.canaryRequests,
                baselineErrors - earlier.baselineErrors, baselineRequests - earlier.baselineRequests);
    }

    public long totalRequests() {
        return canaryRequests + baselineRequests;
    }

    public long totalErrors() {
        return canaryErrors + baselineErrors;
    }

    /** Canary share of requests, NaN without requests. */
    public double canaryShare() {
        long total = totalRequests();
        return total == 0 ? Double.NaN : (double) canaryRequests / total;
    }

    private static String describe(long ce, long cr, long be, long br) {
        return "canary " + ce + "/" + cr + ", baseline " + be + "/" + br;
    }
}
