package dev.rollbackdeploy.gate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one query against a {@link MetricSource} gave. Failures are data, not exceptions: a gate
 * counts them against its budgets instead of dying (Argo Rollouts' model). Neither {@link NoData} nor
 * {@link Failed} may ever be read as healthy.
 */
public sealed interface Measurement {

    /** The query as sent, after placeholder substitution. */
    String query();

    /** Exactly one finite, fresh value. */
    record Value(String query, double value, Instant sampledAt) implements Measurement {
        public Value {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a Value must be finite, got " + value + " for " + query);
            }
        }
    }

    /** Several points over time, one series (range queries, for evidence and charts). */
    record Series(String query, Map<String, String> labels, List<Point> points) implements Measurement {
        public Series {
            labels = Map.copyOf(labels);
            points = List.copyOf(points);
        }
    }

    record Point(Instant time, double value) {
    }

    /** The source answered, but there is nothing usable: empty, NaN, ±Inf, stale, or ambiguous. */
    record NoData(String query, String reason) implements Measurement {
    }

    /** The source could not answer: HTTP error, unreadable body, timeout, connection refused. */
    record Failed(String query, String reason) implements Measurement {
    }
}
