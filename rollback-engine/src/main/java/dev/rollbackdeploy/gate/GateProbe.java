package dev.rollbackdeploy.gate;

import java.time.Clock;
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
 * least one interval, so cumulative counts cover the whole gate; never more, see {@link #sinceStart}), {@code interval} and
 * {@code window} (both the look interval). Comparisons are range queries over the last window.
 *
 * <p><b>Deadline.</b> A look must end by {@link #lookDeadline}: one interval, or what is left of the
 * gate's {@code maxDuration} if that is less, but never under {@link #MIN_LOOK} (the last look still
 * gets to ask). Each query is given the time left until then; a query that cannot be sent in time, or
 * whose answer comes after the deadline, is a {@link Measurement.Failed}, so the look is an Error and
 * never good news (issue 9: a Prometheus trickling a byte a second held a 20 s gate for 44 s).
 */
public final class GateProbe {

    /** The least a look is given, even at or past the gate's maximum duration. */
    public static final Duration MIN_LOOK = Duration.ofSeconds(1);

    private GateProbe() {
    }

    /**
     * A look timed with {@code clock}: it starts, is evaluated and is stamped at {@code clock.instant()}
     * when called; the clock is read again before and after each query to hold the deadline.
     *
     * @param values the caller's placeholder values (canary, baseline, namespace, ...)
     * @throws IllegalArgumentException a placeholder value is unsafe (named with its value)
     * @throws InterruptedException     the caller was interrupted while a query was under way
     */
    public static GateEvaluator.Look lookOnce(GateSpec spec, GateState state, MetricSource source,
            Map<String, String> values, Clock clock) throws InterruptedException {
        return look(spec, state, source, values, clock.instant(), clock);
    }

    /**
     * A look at {@code now} for callers without a clock: the look is asked and stamped at exactly
     * {@code now}, and its deadline runs in real time from then on (a clock that starts at {@code now}
     * and moves with the system clock).
     */
    public static GateEvaluator.Look lookOnce(GateSpec spec, GateState state, MetricSource source,
            Map<String, String> values, Instant now) throws InterruptedException {
        Clock fromNow = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
        return look(spec, state, source, values, now, fromNow);
    }

    private static GateEvaluator.Look look(GateSpec spec, GateState state, MetricSource source,
            Map<String, String> values, Instant now, Clock clock) throws InterruptedException {
        Duration elapsed = Duration.between(state.startedAt(), now);
        if (elapsed.compareTo(spec.interval()) < 0) {
            elapsed = spec.interval();
        }
        Map<String, String> all = new HashMap<>(values);
        all.put("elapsed", sinceStart(elapsed));
        all.put("interval", seconds(spec.interval()));
        all.put("window", seconds(spec.interval()));
        Map<String, List<String>> rendered = spec.render(all);
        Instant deadline = lookDeadline(spec, state, now);
        Map<String, List<Measurement>> measurements = new LinkedHashMap<>();
        for (MetricSpec metric : spec.metrics()) {
            List<Measurement> taken = new ArrayList<>();
            for (String query : rendered.get(metric.name())) {
                taken.add(ask(source, metric, query, spec, now, deadline, clock));
            }
            measurements.put(metric.name(), taken);
        }
        return GateEvaluator.look(spec, state, measurements, now);
    }

    /** When a look starting at {@code now} must be over. */
    public static Instant lookDeadline(GateSpec spec, GateState state, Instant now) {
        Duration left = Duration.between(now, state.startedAt().plus(spec.maxDuration()));
        Duration budget = left.compareTo(spec.interval()) < 0 ? left : spec.interval();
        return now.plus(budget.compareTo(MIN_LOOK) < 0 ? MIN_LOOK : budget);
    }

    private static Measurement ask(MetricSource source, MetricSpec metric, String query, GateSpec spec, Instant now,
            Instant deadline, Clock clock) throws InterruptedException {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.toMillis() < 1) {
            return new Measurement.Failed(query, "not sent: the look's deadline (" + Duration.between(now, deadline)
                    .toMillis() + " ms after it started) had passed; earlier queries used it up");
        }
        Measurement answer = metric instanceof MetricSpec.Comparison
                ? source.range(query, now.minus(spec.interval()), now, step(spec.interval()), left)
                : source.instant(query, now, left);
        Instant answered = clock.instant();
        if (answered.isAfter(deadline)) {
            return new Measurement.Failed(query, "answered " + Duration.between(deadline, answered).toMillis()
                    + " ms after the look's deadline of " + left.toMillis() + " ms: a late answer is not evidence");
        }
        return answer;
    }

    /**
     * The gate's age as a PromQL duration, never longer than it is: rounded up to whole seconds it reached back
     * before the gate started, and with 1 s scrapes a counter sample from before the weight step (a canary that
     * had served all traffic before this rollout) entered the first look (CI: canary 168 vs baseline 17 requests
     * at a 10% step). Whole seconds when exact, else milliseconds, rounded down.
     */
    static String sinceStart(Duration duration) {
        long millis = Math.max(1, duration.toMillis());
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
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
