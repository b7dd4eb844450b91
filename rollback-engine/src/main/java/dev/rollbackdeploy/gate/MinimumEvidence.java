package dev.rollbackdeploy.gate;

import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * What it takes to call a canary's own error rate healthy. With 0 errors in n requests the 95% upper
 * bound on the rate is about 3/n (the rule of three), so claiming "at most r" needs n >= 3/r: 300
 * requests for 1%, 3,000 for 0.1%. Errors widen the bound: the claim needs the exact (Clopper-Pearson)
 * upper bound from the canary's errors <b>and</b> requests at or below r, so 1,546 requests at 100%
 * errors are no evidence of health (issue 9). Fewer requests is Inconclusive, never Pass; no traffic at
 * all is NoData, never good news.
 */
public final class MinimumEvidence {

    /** Confidence of the upper bound a Pass needs (the rule of three's 95%). */
    public static final double CONFIDENCE = 0.95;

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

    /**
     * Pass only with enough canary requests and an upper bound on the canary's own error rate at or
     * below {@code allowedRate}.
     */
    public static Verdict judge(long canaryErrors, long canaryRequests, double allowedRate) {
        long required = requiredRequests(allowedRate);
        if (canaryErrors < 0 || canaryErrors > canaryRequests) {
            throw new IllegalArgumentException("need 0 <= canary errors <= canary requests, got "
                    + canaryErrors + " of " + canaryRequests);
        }
        if (canaryRequests <= 0) {
            return new Verdict.NoData("no canary traffic: no traffic is no evidence");
        }
        if (canaryRequests < required) {
            return new Verdict.Inconclusive(canaryRequests + " canary requests; claiming an error rate of at most "
                    + allowedRate + " needs at least " + required + " (rule of three)", true);
        }
        double upper = upperBound(canaryErrors, canaryRequests, CONFIDENCE);
        String bound = String.format(Locale.ROOT, "the canary's own error rate (%d/%d) is at most %.3g at %.0f%%",
                canaryErrors, canaryRequests, upper, CONFIDENCE * 100);
        if (upper > allowedRate) {
            return new Verdict.Inconclusive(bound + ", which does not show it at or below the allowed " + allowedRate);
        }
        return new Verdict.Pass(bound + ", within the allowed " + allowedRate);
    }

    /** One-sided Clopper-Pearson upper bound on a rate at {@code confidence}; 1 when every request failed. */
    public static double upperBound(long errors, long requests, double confidence) {
        requireCounts(errors, requests, confidence);
        if (errors == requests) {
            return 1;
        }
        return new BetaDistribution(null, errors + 1.0, (double) (requests - errors)).inverseCumulativeProbability(confidence);
    }

    /** One-sided Clopper-Pearson lower bound on a rate at {@code confidence}; 0 without errors. */
    public static double lowerBound(long errors, long requests, double confidence) {
        requireCounts(errors, requests, confidence);
        if (errors == 0) {
            return 0;
        }
        return new BetaDistribution(null, errors, requests - errors + 1.0).inverseCumulativeProbability(1 - confidence);
    }

    private static void requireCounts(long errors, long requests, double confidence) {
        if (requests < 1 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("need requests >= 1 and 0 <= errors <= requests, got "
                    + errors + " of " + requests);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1, got " + confidence);
        }
    }
}
