package dev.rollbackdeploy.bench.sim;

import java.util.SplittableRandom;

/**
 * One tick of simulated traffic (new requests and errors in each arm). Arrivals are Poisson; splitting
 * a Poisson stream into errors and successes gives two independent Poisson counts, which is what lets
 * the simulation advance per tick instead of per request.
 */
public record Tick(int index, long seconds, long canaryRequests, long canaryErrors, long baselineRequests,
                   long baselineErrors) {

    /** Traffic shape of one scenario. */
    public record Traffic(double canaryPerSecond, double canaryShare, double baselineRate, double canaryRate,
                          int tickSeconds) {

        public Tick next(int index, SplittableRandom random) {
            double canary = canaryPerSecond * tickSeconds;
            double baseline = canary * (1 - canaryShare) / canaryShare;
            long ce = Poisson.sample(random, canary * canaryRate);
            long cr = ce + Poisson.sample(random, canary * (1 - canaryRate));
            long be = Poisson.sample(random, baseline * baselineRate);
            long br = be + Poisson.sample(random, baseline * (1 - baselineRate));
            return new Tick(index, (long) index * tickSeconds, cr, ce, br, be);
        }
    }
}
