package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The gates of a Kubernetes target, the counterpart of the VMs' {@code HAProxyGate}: the canary-vs-stable
 * 5xx ratio over a request counter that the application (or its mesh) exports per workload, e.g.
 * {@code sum(increase(http_requests_total{namespace="shop",deployment="shop-canary",code=~"5.."}[${elapsed}]))}.
 * The counter's name and the label naming the workload are the spec's {@code gate.metric} and
 * {@code gate.workloadLabel}; both must be Prometheus identifiers, since they are pasted into PromQL.
 */
public final class KubernetesGate {

    public static final String DEFAULT_METRIC = "http_requests_total";
    public static final String DEFAULT_WORKLOAD_LABEL = "deployment";
    /** Prometheus' metric name and label name grammars (data model documentation). */
    public static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    public static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /**
     * Where the counter is: its name, the label naming the workload, the namespace.
     *
     * @throws IllegalArgumentException a name that is not a Prometheus identifier
     */
    public record Counter(String metric, String workloadLabel, String namespace) {
        public Counter {
            if (metric == null || !METRIC_NAME.matcher(metric).matches()) {
                throw new IllegalArgumentException("gate.metric must be a Prometheus metric name like " + DEFAULT_METRIC
                        + ", got '" + metric + "'");
            }
            if (workloadLabel == null || !LABEL_NAME.matcher(workloadLabel).matches() || workloadLabel.startsWith("__")) {
                throw new IllegalArgumentException("gate.workloadLabel must be a Prometheus label name like "
                        + DEFAULT_WORKLOAD_LABEL + ", got '" + workloadLabel + "'");
            }
            if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("namespace must be a DNS label, got '" + namespace + "'");
            }
        }

        /** Requests (or only the 5xx ones) of one workload since the gate started. */
        PromQlTemplate count(String workload, boolean errorsOnly) {
            // Workload names are DNS names ([a-z0-9.-]): nothing to escape in a PromQL string.
            return new PromQlTemplate("sum(increase(" + metric + "{namespace=\"" + namespace + "\"," + workloadLabel + "=\""
                    + workload + "\"" + (errorsOnly ? ",code=~\"5..\"" : "") + "}[${elapsed}]))");
        }
    }

    private KubernetesGate() {
    }

    /** The canary-vs-stable 5xx ratio gate, judged as on VMs. */
    public static GateSpec errorRatio(Counter counter, String stable, String canary, double healthyRate,
            double minimumEffect, Duration interval, Duration maxDuration) {
        MetricSpec errors = new MetricSpec.ErrorRatio("error-ratio", counter.count(canary, true), counter.count(canary, false),
                counter.count(stable, true), counter.count(stable, false), healthyRate, minimumEffect, 0);
        // A fresh gate's first looks have no increase() yet (two scrapes are needed): allow ten of them.
        return new GateSpec(List.of(errors), interval, maxDuration, 0, 10, 4, GateSpec.MAX_ALPHA,
                GateSpec.InconclusivePolicy.ROLLBACK);
    }

    /**
     * Blue-green's after-switch gate: the new version's own 5xx ratio since the switch, at most
     * {@code maxErrorRate}, judged once it served {@code minRequests} (fewer is no data, never a pass).
     */
    public static GateSpec afterSwitch(Counter counter, String newVersion, double maxErrorRate, long minRequests,
            Duration interval, Duration window) {
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests must be 1 or more, got " + minRequests);
        }
        PromQlTemplate ratio = new PromQlTemplate(counter.count(newVersion, true).template() + " / ("
                + counter.count(newVersion, false).template() + " >= " + minRequests + ")");
        MetricSpec errors = new MetricSpec.Threshold("new-version-error-rate", ratio, ThresholdJudge.atMost(maxErrorRate));
        int looks = (int) Math.max(1, window.toMillis() / Math.max(1, interval.toMillis()));
        return new GateSpec(List.of(errors), interval, window.compareTo(interval) < 0 ? interval : window, 0, looks + 1, 4,
                GateSpec.MAX_ALPHA, GateSpec.InconclusivePolicy.ROLLBACK);
    }

    /**
     * SetWeight for each share with a gate after every shift but the last; an aborted canary keeps its
     * pods {@code delay} after traffic left it, and a promoted one {@code delay} while requests drain.
     */
    public static RolloutSpec canary(List<Weight> shares, Duration gateMaxDuration, Duration delay,
            Duration progressDeadline) {
        List<RolloutStep> steps = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            steps.add(new RolloutStep.SetWeight(shares.get(i)));
            if (i < shares.size() - 1) {
                steps.add(new RolloutStep.Gate("error-ratio", gateMaxDuration));
            }
        }
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, steps, delay, delay, progressDeadline);
    }

    /** Blue-green: no steps before the switch; the previous version stays warm for {@code window}. */
    public static RolloutSpec blueGreen(Duration window, Duration progressDeadline) {
        // An abort before the switch: the preview never served, so nothing to drain.
        return new RolloutSpec(RolloutSpec.Strategy.BLUE_GREEN, List.of(), Duration.ZERO, window, progressDeadline);
    }
}
