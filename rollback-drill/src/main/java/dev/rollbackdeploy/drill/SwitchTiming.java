package dev.rollbackdeploy.drill;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures how fast a rollback takes the canary out of traffic, under keep-alive load: for each of
 * {@code switches} cycles, put the canary at a share, then switch it to 0% and find the moment after
 * which every new request went to stable. Conservatively that is the later of "the router confirmed"
 * and "the last canary-served request was sent", counted from the start of the switch.
 *
 * <p>Failures counted here are transport failures during the cycles (refused, reset, timed out): the
 * ones a switch could cause. 5xx served by a version itself are not switching failures.
 */
public final class SwitchTiming {

    /** Figures over all cycles. */
    public record Result(int switches, double p50Millis, double p99Millis, double maxMillis, long requests,
            long switchFailures, List<String> failureReasons) {
    }

    private SwitchTiming() {
    }

    public static Result measure(TrafficRouter router, LoadGenerator load, String canaryVersion, Weight canaryShare,
            int switches, Consumer<String> progress) throws IOException, InterruptedException {
        double[] millis = new double[switches];
        long failuresBefore = load.transportFailures();
        long requests = 0;
        for (int i = 0; i < switches; i++) {
            router.setCanaryWeight(canaryShare);
            Thread.sleep(100);
            load.recordFromNow();
            long start = System.nanoTime();
            router.setCanaryWeight(Weight.NONE);
            long confirmed = System.nanoTime();
            // Requests already sent to the canary before the switch may finish later; wait for them to land.
            Thread.sleep(150);
            List<LoadGenerator.Sample> samples = load.recorded();
            long lastCanary = samples.stream().filter(s -> canaryVersion.equals(s.servedBy()))
                    .mapToLong(LoadGenerator.Sample::sentAtNanos).max().orElse(start);
            millis[i] = (Math.max(confirmed, lastCanary) - start) / 1e6;
            requests += samples.size();
            if ((i + 1) % 25 == 0) {
                progress.accept("switch timing: " + (i + 1) + "/" + switches + " switches");
            }
        }
        Arrays.sort(millis);
        long failures = load.transportFailures() - failuresBefore;
        List<String> reasons = failures == 0 ? List.of() : load.failureReasons();
        return new Result(switches, percentile(millis, 0.50), percentile(millis, 0.99), millis[millis.length - 1],
                requests, failures, reasons.subList(Math.max(0, reasons.size() - 5), reasons.size()));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
