package dev.rollbackdeploy.bench.sim;

import java.util.Arrays;

/** Outcomes of one rule over many simulated rollouts of one scenario. Mergeable across threads. */
public final class RuleStats {

    private long runs;
    private long rollbacks;
    private long decideSecondsSum;
    private long[] requests = new long[64];
    private long[] seconds = new long[64];

    public void add(GateRule.Call call, long requestsSeen, long secondsAtDecision) {
        runs++;
        decideSecondsSum += secondsAtDecision;
        if (call != GateRule.Call.ROLLBACK) {
            return;
        }
        if (rollbacks == requests.length) {
            requests = Arrays.copyOf(requests, requests.length * 2);
            seconds = Arrays.copyOf(seconds, seconds.length * 2);
        }
        requests[(int) rollbacks] = requestsSeen;
        seconds[(int) rollbacks] = secondsAtDecision;
        rollbacks++;
    }

    public RuleStats merge(RuleStats other) {
        RuleStats merged = new RuleStats();
        for (RuleStats part : new RuleStats[] {this, other}) {
            merged.runs += part.runs;
            merged.decideSecondsSum += part.decideSecondsSum;
            for (int i = 0; i < part.rollbacks; i++) {
                merged.add0(part.requests[i], part.seconds[i]);
            }
        }
        return merged;
    }

    private void add0(long request, long second) {
        if (rollbacks == requests.length) {
            requests = Arrays.copyOf(requests, requests.length * 2);
            seconds = Arrays.copyOf(seconds, seconds.length * 2);
        }
        requests[(int) rollbacks] = request;
        seconds[(int) rollbacks] = second;
        rollbacks++;
    }

    public long runs() {
        return runs;
    }

    public double rollbackRate() {
        return runs == 0 ? 0 : (double) rollbacks / runs;
    }

    public double meanDecideSeconds() {
        return runs == 0 ? 0 : (double) decideSecondsSum / runs;
    }

    public double meanRequests() {
        return mean(requests);
    }

    public double p90Requests() {
        return p90(requests);
    }

    public double meanSeconds() {
        return mean(seconds);
    }

    public double p90Seconds() {
        return p90(seconds);
    }

    private double mean(long[] values) {
        if (rollbacks == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < rollbacks; i++) {
            sum += values[i];
        }
        return sum / rollbacks;
    }

    private double p90(long[] values) {
        if (rollbacks == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, (int) rollbacks);
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.9 * rollbacks) - 1];
    }
}
