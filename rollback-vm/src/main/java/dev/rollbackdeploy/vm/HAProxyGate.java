package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutStep;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The canary-vs-stable 5xx gate over HAProxy's exporter, and the canary steps with a gate after each shift. */
public final class HAProxyGate {

    private HAProxyGate() {
    }

    /**
     * @param healthyRate   the error rate expected when healthy
     * @param minimumEffect the smallest canary/stable error ratio to catch
     */
    public static GateSpec errorRatio(HAProxyBackend backend, double healthyRate, double minimumEffect, Duration interval,
            Duration maxDuration) {
        MetricSpec errors = new MetricSpec.ErrorRatio("error-ratio",
                count(backend, backend.canaryServers(), true), count(backend, backend.canaryServers(), false),
                count(backend, backend.stableServers(), true), count(backend, backend.stableServers(), false),
                healthyRate, minimumEffect, 0);
        // A fresh gate's first looks have no increase() yet (two scrapes are needed): allow ten of them.
        return new GateSpec(List.of(errors), interval, maxDuration, 0, 10, 4, GateSpec.MAX_ALPHA,
                GateSpec.InconclusivePolicy.ROLLBACK);
    }

    /**
     * Blue-green's after-switch gate: the new version's own 5xx ratio since the switch, at most
     * {@code maxErrorRate}, judged only once it has served {@code minRequests} (fewer is no data, never a
     * pass). Any failed look rolls back; the warm window bounds it.
     */
    public static GateSpec afterSwitch(HAProxyBackend backend, double maxErrorRate, long minRequests, Duration interval,
            Duration window) {
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests must be 1 or more, got " + minRequests);
        }
        PromQlTemplate ratio = new PromQlTemplate(count(backend, backend.canaryServers(), true).template() + " / ("
                + count(backend, backend.canaryServers(), false).template() + " >= " + minRequests + ")");
        MetricSpec errors = new MetricSpec.Threshold("new-version-error-rate", ratio, ThresholdJudge.atMost(maxErrorRate));
        int looks = (int) Math.max(1, window.toMillis() / Math.max(1, interval.toMillis()));
        return new GateSpec(List.of(errors), interval, window.compareTo(interval) < 0 ? interval : window, 0, looks + 1, 4,
                GateSpec.MAX_ALPHA, GateSpec.InconclusivePolicy.ROLLBACK);
    }

    /** Blue-green: no steps before the switch; the previous version stays warm for {@code window}. */
    public static RolloutSpec blueGreen(Duration window) {
        return new RolloutSpec(RolloutSpec.Strategy.BLUE_GREEN, List.of(), Duration.ZERO, window, Duration.ofMinutes(2));
    }

    /** SetWeight for each share, with a gate after every shift but the last. */
    public static RolloutSpec canary(List<Weight> shares, Duration gateMaxDuration) {
        List<RolloutStep> steps = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            steps.add(new RolloutStep.SetWeight(shares.get(i)));
            if (i < shares.size() - 1) {
                steps.add(new RolloutStep.Gate("error-ratio", gateMaxDuration));
            }
        }
        return new RolloutSpec(RolloutSpec.Strategy.CANARY, steps, Duration.ZERO, RolloutSpec.DEFAULT_SCALE_DOWN_DELAY,
                Duration.ofMinutes(2));
    }

    private static PromQlTemplate count(HAProxyBackend backend, List<String> servers, boolean errorsOnly) {
        // Server names are [A-Za-z0-9_.:-]: only '.' means something in a regex; escaped for PromQL's string too.
        String alternation = servers.stream().map(s -> s.replace(".", "\\\\.")).collect(Collectors.joining("|"));
        return new PromQlTemplate("sum(increase(haproxy_server_http_responses_total{proxy=\"" + backend.name()
                + "\",server=~\"" + alternation + "\"" + (errorsOnly ? ",code=\"5xx\"" : "") + "}[${elapsed}]))");
    }
}
