package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import java.util.ArrayList;
import java.util.List;

/** A cluster that only answers observe (with what it was given) and logs every call; writes fail the test. */
final class ObservedCluster implements Cluster {

    private final ManifestSet live;
    final List<String> calls = new ArrayList<>();

    ObservedCluster(ManifestSet live) {
        this.live = live;
    }

    @Override
    public LiveState observe() {
        calls.add("observe");
        return LiveState.of(live);
    }

    @Override
    public void apply(CanonicalObject object) {
        throw new AssertionError("preparing a restore must not write, but applied " + object.key());
    }

    @Override
    public void delete(ObjectKey object) {
        throw new AssertionError("preparing a restore must not write, but deleted " + object);
    }

    @Override
    public void scale(ObjectKey workload, int replicas) {
        throw new AssertionError("preparing a restore must not write, but scaled " + workload + " to " + replicas);
    }

    @Override
    public boolean isReady(ObjectKey workload) {
        throw new AssertionError("preparing a restore must not wait for readiness of " + workload);
    }
}
