package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A target held in memory: counts writes, and can make workloads slow or broken. */
final class InMemoryTarget implements Cluster, TrafficRouter {

    private final Map<ObjectKey, CanonicalObject> objects = new TreeMap<>();
    private final Map<ObjectKey, Integer> checksUntilReady = new HashMap<>();
    private final List<String> writeLog = new ArrayList<>();
    private Optional<Weight> canary;
    private String brokenReason;

    InMemoryTarget(ManifestSet initial, Optional<Weight> canary) {
        initial.objects().forEach(o -> objects.put(o.key(), o));
        this.canary = canary;
    }

    /** Runs the plan to the end the way the CLI does, with a clock that jumps a second per wait. */
    void execute(Plan plan) throws Exception {
        PlanExecutor executor = new PlanExecutor(this, this, Duration.ofSeconds(30));
        PlanExecutor.Progress progress = executor.begin(plan);
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        while (!progress.isDone(plan)) {
            PlanExecutor.Outcome outcome = executor.step(plan, progress, now);
            progress = outcome.progress();
            now = now.plus(outcome.callAgainIn());
        }
    }

    void slowToBecomeReady(ObjectKey workload, int checks) {
        checksUntilReady.put(workload, checks);
    }

    void breakWorkloads(String reason) {
        brokenReason = reason;
    }

    @Override
    public LiveState observe() {
        return new LiveState(ManifestSet.of(new ArrayList<>(objects.values())), canary);
    }

    @Override
    public void apply(CanonicalObject object) {
        objects.put(object.key(), object);
        writeLog.add("apply " + object.key());
    }

    @Override
    public void delete(ObjectKey object) {
        objects.remove(object);
        writeLog.add("delete " + object);
    }

    @Override
    public void scale(ObjectKey workload, int replicas) {
        objects.put(workload, Objects.withReplicas(objects.get(workload), replicas));
        writeLog.add("scale " + workload);
    }

    @Override
    public boolean isReady(ObjectKey workload) throws WorkloadFailedException {
        if (brokenReason != null) {
            throw new WorkloadFailedException(workload, brokenReason);
        }
        int left = checksUntilReady.getOrDefault(workload, 0);
        checksUntilReady.put(workload, Math.max(0, left - 1));
        return left == 0;
    }

    @Override
    public void setCanaryWeight(Weight weight) throws IOException {
        canary = Optional.of(weight);
        writeLog.add("weight " + weight);
    }

    @Override
    public Weight canaryWeight() {
        return canary.orElse(Weight.NONE);
    }

    int writes() {
        return writeLog.size();
    }

    List<String> writeLog() {
        return List.copyOf(writeLog);
    }

    List<CanonicalObject> objects() {
        return List.copyOf(objects.values());
    }
}
