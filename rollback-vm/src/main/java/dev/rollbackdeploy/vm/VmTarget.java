package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApi;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import java.time.Duration;
import java.util.List;

/** Opens the HAProxy target a record was deployed to, from the record alone (endpoints, backend, server roles). */
public final class VmTarget {

    private VmTarget() {
    }

    /**
     * @throws IllegalArgumentException naming the record and what is missing: not an HAProxy target, or
     *                                  no recorded backend split (a record from before splits were recorded)
     */
    public static HAProxyCluster open(DeploymentRecord record, Duration timeout) {
        if (!(record.target() instanceof Target.HAProxy target)) {
            throw new IllegalArgumentException("record of " + record.ref() + " is for " + record.target()
                    + ", not an HAProxy target");
        }
        List<CanonicalObject> backends = record.manifests().objects().stream()
                .filter(o -> o.key().kind().equals(HAProxyCluster.KIND)).toList();
        if (backends.size() != 1) {
            throw new IllegalArgumentException("record of " + record.ref() + " must hold exactly one " + HAProxyCluster.KIND
                    + " (the recorded traffic split), got " + backends.size()
                    + "; records written before splits were recorded cannot be restored");
        }
        HAProxyCluster.Recorded recorded = HAProxyCluster.read(backends.get(0));
        if (!recorded.backend().name().equals(target.backend())) {
            throw new IllegalArgumentException("record of " + record.ref() + " targets backend " + target.backend()
                    + " but its split is of backend " + recorded.backend().name());
        }
        List<RuntimeApi> balancers = target.endpoints().stream()
                .map(uri -> (RuntimeApi) RuntimeApiClient.forEndpoint(uri, timeout)).toList();
        return new HAProxyCluster(new HAProxyTrafficRouter(recorded.backend(), balancers));
    }
}
