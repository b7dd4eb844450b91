package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A target that executes plans in memory and counts writes, to check idempotence end to end. */
final class InMemoryTarget {

    private final Map<ObjectKey, CanonicalObject> objects = new TreeMap<>();
    private Optional<Weight> canary;
    private int writes;

    InMemoryTarget(ManifestSet initial, Optional<Weight> canary) {
        initial.objects().forEach(o -> objects.put(o.key(), o));
        this.canary = canary;
    }

    LiveState observe() {
        return new LiveState(ManifestSet.of(new ArrayList<>(objects.values())), canary);
    }

    void execute(Plan plan) throws PlanRefusedException {
        for (Action action : plan.requireExecutable().actions()) {
            if (action instanceof Action.Apply apply) {
                objects.put(apply.object().key(), apply.object());
                writes++;
            } else if (action instanceof Action.Delete delete) {
                objects.remove(delete.object());
                writes++;
            } else if (action instanceof Action.SetTrafficWeight weight) {
                canary = Optional.of(weight.canary());
                writes++;
            } else if (action instanceof Action.Scale scale) {
                objects.put(scale.workload(), Objects.withReplicas(objects.get(scale.workload()), scale.replicas()));
                writes++;
            } else if (!(action instanceof Action.WaitReady)) {
                throw new AssertionError(action);
            }
        }
    }

    int writes() {
        return writes;
    }

    List<CanonicalObject> objects() {
        return List.copyOf(objects.values());
    }
}
