package dev.rollbackdeploy.gate;

/**
 * How many clean canary requests it takes to call an error rate healthy. With 0 errors in n requests
 * the 95% upper bound on the rate is about 3/n (the rule of three), so claiming "at most r" needs
 * n >= 3/r: 300 requests for 1%, 3,000 for 0.1%. Fewer is Inconclusive, never Pass; no traffic at all
 * is NoData, never good news.
 */
public final class MinimumEvidence {

    private MinimumEvidence() {
    }

    /** ceil(3 / allowedRate), the requests needed to bound the rate at {@code allowedRate}. */
    public static long requiredRequests(double allowedRate) {
        if (!(allowedRate > 0 && allowedRate < 1)) {
            throw new IllegalArgumentException("allowed error rate must be strictly between 0 and 1, got " + allowedRate);
        }
        // The epsilon keeps 3/0.01 at 300 despite 3/0.01 = 300.00000000000006 in binary.
        return (long) Math.ceil(3 / allowedRate - 1e-9);
    }

    /** Pass only with enough canary requests; the error count itself is the other judges' business. */
    public static Verdict judge(long canaryRequests, double allowedRate) {
        long required = requiredRequests(allowedRate);
        if (canaryRequests <= 0) {
            return new Verdict.NoData("no canary traffic: no traffic is no evidence");
        }
        if (canaryRequests < required) {
            return new Verdict.Inconclusive(canaryRequests + " canary requests; claiming an error rate of at most "
                    + allowedRate + " needs at least " + required + " (rule of three)", true);
        }
        return new Verdict.Pass(canaryRequests + " canary requests >= " + required
                + " needed to bound the error rate at " + allowedRate);
    }
}
