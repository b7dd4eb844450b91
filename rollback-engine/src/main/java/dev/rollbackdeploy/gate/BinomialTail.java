package dev.rollbackdeploy.gate;

import org.apache.commons.math3.special.Gamma;

/**
 * Exact binomial upper tails in log space. Summing pmf terms from the mode outwards in log space keeps
 * precision at n in the tens of thousands and tails far below 1e-300, where the normal approximation
 * is 24% short (GATES.md) and naive products underflow.
 */
public final class BinomialTail {

    private BinomialTail() {
    }

    /** ln P(X = k) for X ~ Binomial(n, p). */
    public static double logPmf(long n, long k, double p) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 0) {
            return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return k == n ? 0 : Double.NEGATIVE_INFINITY;
        }
        return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    }

    /** P(X >= c) for X ~ Binomial(n, p), exact to double precision. */
    public static double upper(long n, long c, double p) {
        if (c <= 0) {
            return 1;
        }
        if (c > n) {
            return 0;
        }
        if (c <= n * p) {
            // Most of the mass is above c: the complement is the short sum.
            return 1 - lower(n, c - 1, p);
        }
        return sumFrom(n, c, p, 1);
    }

    /** P(X <= c) for X ~ Binomial(n, p). */
    public static double lower(long n, long c, double p) {
        if (c < 0) {
            return 0;
        }
        if (c >= n) {
            return 1;
        }
        if (c >= n * p) {
            return 1 - upper(n, c + 1, p);
        }
        return sumFrom(n, c, p, -1);
    }

    // Terms fall monotonically away from the mode, so the sum stops once they no longer matter.
    private static double sumFrom(long n, long start, double p, int step) {
        double first = logPmf(n, start, p);
        if (first == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double sum = 0;
        double logTerm = first;
        double ratioBase = p / (1 - p);
        for (long k = start; k >= 0 && k <= n; k += step) {
            double term = Math.exp(logTerm - first);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
            // pmf(k+1)/pmf(k) = (n-k)/(k+1) * p/(1-p); the inverse going down.
            logTerm += step > 0
                    ? Math.log((double) (n - k) / (k + 1) * ratioBase)
                    : Math.log((double) k / (n - k + 1) / ratioBase);
        }
        return Math.min(1, Math.exp(first) * sum);
    }

    private static double logChoose(long n, long k) {
        return Gamma.logGamma(n + 1.0) - Gamma.logGamma(k + 1.0) - Gamma.logGamma(n - k + 1.0);
    }
}
