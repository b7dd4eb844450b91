package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes one look of a gate: renders every query, asks the {@link MetricSource} once per query, and
 * evaluates. It never waits or loops — the shell calls it every {@link GateSpec#interval()} and
 * persists the returned state in between — so the CLI and a resumed Jenkins step behave alike.
 *
 * <p>Placeholders it fills besides the caller's: {@code elapsed} (time since the gate started, at
 * least one interval, so cumulative counts cover the whole gate), {@code interval} and
 * {@code window} (both the look interval). Comparisons are range queries over the last window.
 */
public final class GateProbe {

    private GateProbe() {
    }

    /**
     * @param values the caller's placeholder values (canary, baseline, namespace, ...)
     * @throws IllegalArgumentException a placeholder value is unsafe (named with its value)
     * @throws InterruptedException     the caller was interrupted while a query was under way
     */
    public static GateEvaluator.Look lookOnce(GateSpec spec, GateState state, MetricSource source,
            Map<String, String> values, Instant now) throws InterruptedException {
        Duration elapsed = Duration.between(state.startedAt(), now);
        if (elapsed.compareTo(spec.interval()) < 0) {
            elapsed = spec.interval();
        }
        Map<String, String> all = new HashMap<>(values);
        all.put("elapsed", seconds(elapsed));
        all.put("interval", seconds(spec.interval()));
        all.put("window", seconds(spec.interval()));
        Map<String, List<String>> rendered = spec.render(all);
        Map<String, List<Measurement>> measurements = new LinkedHashMap<>();
        for (MetricSpec metric : spec.metrics()) {
            List<Measurement> taken = new ArrayList<>();
            for (String query : rendered.get(metric.name())) {
                taken.add(metric instanceof MetricSpec.Comparison
                        ? source.range(query, now.minus(spec.interval()), now, step(spec.interval()))
                        : source.instant(query, now));
            }
            measurements.put(metric.name(), taken);
        }
        return GateEvaluator.look(spec, state, measurements, now);
    }

    private static String seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000) + "s";
    }

    /** About 20 points per window, at least one a second (the finest scrape we configure). */
    private static Duration step(Duration window) {
        Duration step = window.dividedBy(20);
        return step.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : step;
    }
}
