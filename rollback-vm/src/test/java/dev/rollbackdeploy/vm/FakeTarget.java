package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A router that records its writes and a metric source answering from a function of (query, time). */
class FakeTarget implements TrafficRouter, MetricSource {

    final List<Weight> writes = new ArrayList<>();
    int failingWrites;
    int queries;
    private final BiFunction<String, Instant, Double> values;

    FakeTarget(BiFunction<String, Instant, Double> values) {
        this.values = values;
    }

    @Override
    public synchronized void setCanaryWeight(Weight canary) throws IOException {
        if (failingWrites > 0) {
            failingWrites--;
            throw new IOException("socket gone");
        }
        writes.add(canary);
    }

    @Override
    public synchronized Weight canaryWeight() {
        return writes.isEmpty() ? Weight.NONE : writes.get(writes.size() - 1);
    }

    @Override
    public Measurement instant(String query, Instant at) {
        queries++;
        return new Measurement.Value(query, values.apply(query, at), at);
    }

    @Override
    public Measurement range(String query, Instant start, Instant end, Duration step) {
        queries++;
        return new Measurement.NoData(query, "no range data in this fake");
    }
}
