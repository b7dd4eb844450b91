package dev.rollbackdeploy.gate;

import org.apache.commons.math3.special.Beta;

/**
 * The e-value of a one-sided Beta-mixture test on the conditional error count, in the style of
 * Lindon and Malek, "Anytime-valid inference for multinomial count data" (NeurIPS 2022).
 *
 * <p>Given N errors across both arms, the canary's share X is Binomial(N, theta). With no regression
 * theta = w, the canary's share of requests. Against it we mix the likelihood ratio over a Beta(a, b)
 * prior truncated to (w, 1), so only "canary worse" carries weight:
 *
 * <pre>  E = B(a+x, b+N-x) * P(theta > w | a+x, b+N-x) / (B(a, b) * P(theta > w | a, b))
 *         / (w^x * (1-w)^(N-x))</pre>
 *
 * A mixture of likelihood ratios is a non-negative martingale under theta = w (a supermartingale for
 * theta below w), so by Ville's inequality P(E ever >= 1/alpha) <= alpha, whatever the number of looks
 * and whenever one stops. The prior is centred on the share the declared minimum effect would give,
 * with {@link #CONCENTRATION} pseudo-errors; 8 was tuned by simulation (docs/benchmarks.md): weaker
 * priors lose power at the minimum effect, stronger ones slow down on large effects.
 */
public final class BetaMixtureEProcess {

    /** Pseudo-count of the prior: how many errors' worth of belief in the minimum effect. */
    public static final double CONCENTRATION = 8;

    private final double share;
    private final double a;
    private final double b;
    private final double logNormaliser;

    /**
     * @param share canary share of requests w, strictly between 0 and 1
     * @param minimumEffect the smallest canary/baseline error-rate ratio worth catching, above 1
     */
    public BetaMixtureEProcess(double share, double minimumEffect) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("canary share must be strictly between 0 and 1, got " + share);
        }
        if (!(minimumEffect > 1) || Double.isInfinite(minimumEffect)) {
            throw new IllegalArgumentException("minimum effect must be a finite ratio above 1, got " + minimumEffect);
        }
        this.share = share;
        double theta1 = share * minimumEffect / (share * minimumEffect + 1 - share);
        this.a = CONCENTRATION * theta1;
        this.b = CONCENTRATION * (1 - theta1);
        this.logNormaliser = Beta.logBeta(a, b) + Math.log(upperMass(a, b));
    }

    /** Canary share of errors the minimum effect would produce at share w: the prior's centre. */
    public static double regressedShare(double share, double effect) {
        return share * effect / (share * effect + 1 - share);
    }

    /** ln E after {@code canaryErrors} of {@code totalErrors} errors fell on the canary. */
    public double logE(long canaryErrors, long totalErrors) {
        if (canaryErrors < 0 || totalErrors < canaryErrors) {
            throw new IllegalArgumentException("need 0 <= canary errors <= total errors, got "
                    + canaryErrors + " of " + totalErrors);
        }
        if (totalErrors == 0) {
            return 0;
        }
        double x = canaryErrors;
        double rest = totalErrors - x;
        double logPosterior = Beta.logBeta(a + x, b + rest) + Math.log(upperMass(a + x, b + rest));
        return logPosterior - logNormaliser - x * Math.log(share) - rest * Math.log1p(-share);
    }

    public double share() {
        return share;
    }

    // P(theta > w) under Beta(p, q), by the symmetry I_w(p, q) = 1 - I_{1-w}(q, p) to keep precision.
    private double upperMass(double p, double q) {
        double mass = Beta.regularizedBeta(1 - share, q, p, 1e-15, 10_000);
        return Math.max(mass, Double.MIN_NORMAL);
    }
}
