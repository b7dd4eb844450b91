package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import java.io.IOException;

/** Counts the writes made through a cluster, for the "N writes" a restore reports. */
final class CountingCluster implements Cluster {

    private final Cluster cluster;
    private int writes;

    CountingCluster(Cluster cluster) {
        this.cluster = cluster;
    }

    int writes() {
        return writes;
    }

    @Override
    public LiveState observe() throws IOException, InterruptedException {
        return cluster.observe();
    }

    @Override
    public void apply(CanonicalObject object) throws IOException, InterruptedException {
        writes++;
        cluster.apply(object);
    }

    @Override
    public void delete(ObjectKey object) throws IOException, InterruptedException {
        writes++;
        cluster.delete(object);
    }

    @Override
    public void scale(ObjectKey workload, int replicas) throws IOException, InterruptedException {
        writes++;
        cluster.scale(workload, replicas);
    }

    @Override
    public boolean isReady(ObjectKey workload) throws WorkloadFailedException, IOException, InterruptedException {
        return cluster.isReady(workload);
    }
}
