package dev.rollbackdeploy.gate;

/**
 * The classic one-look test: after exactly {@code n} canary requests, roll back when the error count
 * is at least {@code critical}. {@link #plan} finds the smallest such {@code n} for a healthy rate
 * {@code p0}, a rate to catch {@code p1}, a false-rollback probability {@code alpha} and a miss
 * probability {@code beta}. Used to size the sequential judge's horizon and as a benchmark rule.
 *
 * @param achievedAlpha P(X >= critical | n, p0), at most the requested alpha
 * @param power P(X >= critical | n, p1), at least the requested 1 - beta
 */
public record FixedHorizonBinomial(double p0, double p1, long n, long critical, double achievedAlpha,
                                   double power) {

    /** Beyond this the question is not one a canary can answer. */
    static final long MAX_N = 50_000_000L;

    public FixedHorizonBinomial {
        if (n < 1 || critical < 0 || critical > n) {
            throw new IllegalArgumentException("need 0 <= critical <= n and n >= 1, got n=" + n + ", critical=" + critical);
        }
    }

    /**
     * Smallest n (and its critical count) such that P(X >= c | n, p0) <= alpha and
     * P(X >= c | n, p1) >= 1 - beta. For each n the smallest admissible c gives the most power, and
     * that c never decreases as n grows, so one pass with an incremental c is enough.
     */
    public static FixedHorizonBinomial plan(double p0, double p1, double alpha, double beta) {
        requireProbability("p0", p0);
        requireProbability("p1", p1);
        requireProbability("alpha", alpha);
        requireProbability("beta", beta);
        if (p1 <= p0) {
            throw new IllegalArgumentException("p1 must be above p0 to have something to catch, got p0=" + p0 + ", p1=" + p1);
        }
        long c = 1;
        for (long n = 1; n <= MAX_N; n++) {
            while (BinomialTail.upper(n, c, p0) > alpha) {
                c++;
            }
            double power = BinomialTail.upper(n, c, p1);
            if (power >= 1 - beta) {
                return new FixedHorizonBinomial(p0, p1, n, c, BinomialTail.upper(n, c, p0), power);
            }
        }
        throw new IllegalArgumentException("no n up to " + MAX_N + " separates p0=" + p0 + " from p1=" + p1);
    }

    /** True when {@code errors} out of {@link #n()} requests is enough to roll back. */
    public boolean rejects(long errors) {
        return errors >= critical;
    }

    private static void requireProbability(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be strictly between 0 and 1, got " + value);
        }
    }
}
