package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.operations.KubernetesTargets;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmTarget;
import java.time.Duration;

/**
 * The live target a record names, for the button's page, its restore and the {@code rollbackTo} step:
 * HAProxy load balancers from the record alone (what the CLI's {@code rollback --to} does); a Kubernetes
 * namespace on the configured cluster the record names, with that cluster's credential looked up where the
 * restore was asked for ({@link KubernetesTargetsFromConfig}).
 */
public final class LiveTargets {

    /** Per-call timeout of a load balancer's runtime API. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The target and how to name it; closing it closes its client. */
    public record Live(Cluster cluster, String description, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    private LiveTargets() {
    }

    /**
     * @param credentials where a Kubernetes cluster's credential is looked up (the run's or the job's context)
     * @throws OperationException INVALID for a Kubernetes record without a configured cluster or credential,
     *                            REFUSED for a record that cannot be restored
     */
    public static Live open(DeploymentRecord record, KubernetesTargetsFromConfig.Credentials credentials)
            throws OperationException, InterruptedException {
        if (record.target() instanceof Target.HAProxy haproxy) {
            try {
                HAProxyCluster cluster = VmTarget.open(record, TIMEOUT);
                return new Live(cluster, "HAProxy backend " + haproxy.backend() + " on " + haproxy.endpoints(),
                        () -> { });
            } catch (IllegalArgumentException e) {
                throw new OperationException(OperationException.Kind.REFUSED, e.getMessage(), e);
            }
        }
        if (record.target() instanceof Target.Kubernetes) {
            KubernetesTargets.Opened opened = KubernetesTargetsFromConfig.open(record, credentials);
            return new Live(opened.cluster(), opened.description(), opened::close);
        }
        throw new AssertionError(record.target());
    }
}
