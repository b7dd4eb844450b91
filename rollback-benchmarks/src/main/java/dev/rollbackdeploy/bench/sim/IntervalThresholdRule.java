package dev.rollbackdeploy.bench.sim;

import java.util.SplittableRandom;

/**
 * The static rules of Argo Rollouts and Flagger: every interval, the canary's error rate over that
 * interval is checked against a threshold; after {@code failuresToRollback} failed checks (not
 * necessarily consecutive) roll back; after {@code checks} intervals promote. An interval without
 * canary requests counts as neither (Argo's NaN is an error, budgeted separately; ignored here).
 */
public final class IntervalThresholdRule implements GateRule {

    private final int ticksPerInterval;
    private final double maxErrorRate;
    private final int failuresToRollback;
    private final int checks;
    private long intervalRequests;
    private long intervalErrors;
    private long requests;
    private int done;
    private int failures;

    public IntervalThresholdRule(int ticksPerInterval, double maxErrorRate, int failuresToRollback, int checks) {
        this.ticksPerInterval = ticksPerInterval;
        this.maxErrorRate = maxErrorRate;
        this.failuresToRollback = failuresToRollback;
        this.checks = checks;
    }

    @Override
    public Call observe(Tick tick, SplittableRandom random) {
        intervalRequests += tick.canaryRequests();
        intervalErrors += tick.canaryErrors();
        requests += tick.canaryRequests();
        if (tick.index() % ticksPerInterval != 0) {
            return Call.CONTINUE;
        }
        done++;
        if (intervalRequests > 0 && (double) intervalErrors / intervalRequests > maxErrorRate) {
            failures++;
        }
        intervalRequests = 0;
        intervalErrors = 0;
        if (failures >= failuresToRollback) {
            return Call.ROLLBACK;
        }
        return done >= checks ? Call.PROMOTE : Call.CONTINUE;
    }

    @Override
    public long requestsSeen() {
        return requests;
    }
}
