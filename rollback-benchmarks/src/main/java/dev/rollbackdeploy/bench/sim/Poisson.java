package dev.rollbackdeploy.bench.sim;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;

/**
 * Poisson variates: multiplication of uniforms for small means, Hörmann's transformed rejection
 * (PTRS, 1993) above that, so a tick of 9,000 baseline requests costs as little as a tick of 9.
 */
public final class Poisson {

    private Poisson() {
    }

    public static long sample(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        return mean < 30 ? small(random, mean) : transformedRejection(random, mean);
    }

    private static long small(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    private static long transformedRejection(SplittableRandom random, double mean) {
        double sqrt = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * sqrt;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            double lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
            if (lhs <= -mean + k * logMean - Gamma.logGamma(k + 1.0)) {
                return k;
            }
        }
    }
}
