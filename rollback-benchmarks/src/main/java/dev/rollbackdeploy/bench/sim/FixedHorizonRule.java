package dev.rollbackdeploy.bench.sim;

import dev.rollbackdeploy.gate.FixedHorizonBinomial;
import java.util.SplittableRandom;

/**
 * One look after exactly n canary requests: roll back at >= c errors. The tick that crosses n is
 * thinned so that only the errors among its first requests count (a hypergeometric draw).
 */
public final class FixedHorizonRule implements GateRule {

    private final FixedHorizonBinomial plan;
    private long requests;
    private long errors;

    public FixedHorizonRule(FixedHorizonBinomial plan) {
        this.plan = plan;
    }

    @Override
    public Call observe(Tick tick, SplittableRandom random) {
        long needed = plan.n() - requests;
        if (tick.canaryRequests() < needed) {
            requests += tick.canaryRequests();
            errors += tick.canaryErrors();
            return Call.CONTINUE;
        }
        errors += errorsAmongFirst(needed, tick.canaryRequests(), tick.canaryErrors(), random);
        requests = plan.n();
        return plan.rejects(errors) ? Call.ROLLBACK : Call.PROMOTE;
    }

    @Override
    public long requestsSeen() {
        return requests;
    }

    // Errors are spread uniformly over the tick's requests: place them one by one without replacement.
    private static long errorsAmongFirst(long first, long total, long errors, SplittableRandom random) {
        long hits = 0;
        long slotsLeft = total;
        long firstLeft = first;
        for (long e = 0; e < errors; e++) {
            if (random.nextDouble() * slotsLeft < firstLeft) {
                hits++;
                firstLeft--;
            }
            slotsLeft--;
        }
        return hits;
    }
}
