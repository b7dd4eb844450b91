package dev.rollbackdeploy.jenkins.steps;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Time our step code spends on the thread Pipeline calls it on, one sample per call: wall time and the
 * thread's CPU time ({@link ThreadMXBean}), and whether that thread was a CPS VM thread. Only figures,
 * printed as p50/p95/max per step and phase; nothing here is asserted against a time.
 */
final class CpsThreadSamples {

    /** One call of {@code step}'s {@code phase} (start, onResume, stop). */
    record Sample(String step, String phase, long wallNanos, long cpuNanos, String thread) {
        boolean onCpsVmThread() {
            return thread.startsWith("Running CpsFlowExecution");
        }
    }

    /** Something timed; may throw what the timed call throws. */
    interface Call<T> {
        T call() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final ConcurrentLinkedQueue<Sample> SAMPLES = new ConcurrentLinkedQueue<>();

    private CpsThreadSamples() {
    }

    static <T> T time(String step, String phase, Call<T> call) throws Exception {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        try {
            return call.call();
        } finally {
            SAMPLES.add(new Sample(step, phase, System.nanoTime() - wall, THREADS.getCurrentThreadCpuTime() - cpu,
                    Thread.currentThread().getName()));
        }
    }

    static List<Sample> of(String step, String phase) {
        return SAMPLES.stream().filter(s -> s.step().equals(step) && s.phase().equals(phase)).toList();
    }

    /** A Markdown table: step, phase, calls, on the CPS VM thread, wall p50/p95/max, CPU p50/p95/max (ms). */
    static String table() {
        Map<String, List<Sample>> groups = new TreeMap<>(SAMPLES.stream()
                .collect(Collectors.groupingBy(s -> s.step() + " " + s.phase())));
        StringBuilder out = new StringBuilder("| step | call | n | on CPS VM thread | wall p50 / p95 / max (ms) | CPU p50 / p95 / max (ms) |\n"
                + "|---|---|---|---|---|---|\n");
        groups.forEach((key, samples) -> out.append("| ").append(key.replace(" ", " | ")).append(" | ").append(samples.size())
                .append(" | ").append(samples.stream().filter(Sample::onCpsVmThread).count()).append(" | ")
                .append(percentiles(samples.stream().map(Sample::wallNanos).toList())).append(" | ")
                .append(percentiles(samples.stream().map(Sample::cpuNanos).toList())).append(" |\n"));
        return out.toString();
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(Comparator.naturalOrder());
        return String.format("%.2f / %.2f / %.2f", ms(sorted, 0.50), ms(sorted, 0.95), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Nearest-rank percentile, in ms. */
    private static double ms(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }
}
