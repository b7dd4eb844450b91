package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmTarget;
import java.time.Duration;
import java.util.function.IntSupplier;

/** The live target a record names, opened from the record alone (what the CLI's {@code rollback --to} does). */
final class LiveTargets {

    /** Per-call timeout of a load balancer's runtime API. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The target, how to name it, and how many writes were made through it. */
    record Live(Cluster cluster, String description, IntSupplier writes) {
    }

    private LiveTargets() {
    }

    /**
     * @throws OperationException INVALID for a Kubernetes record (restored by the {@code rollbackTo} step,
     *                            which has the cluster's credentials) or a record that cannot be restored
     */
    static Live open(DeploymentRecord record) throws OperationException {
        if (record.target() instanceof Target.HAProxy haproxy) {
            try {
                HAProxyCluster cluster = VmTarget.open(record, TIMEOUT);
                return new Live(cluster, "HAProxy backend " + haproxy.backend() + " on " + haproxy.endpoints(),
                        cluster::writes);
            } catch (IllegalArgumentException e) {
                throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
            }
        }
        throw new OperationException(OperationException.Kind.INVALID, Messages.LiveTargets_NotFromPage(record.ref(),
                record.targetKey()));
    }
}
