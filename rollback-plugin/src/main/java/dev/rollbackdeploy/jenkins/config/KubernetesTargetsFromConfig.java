package dev.rollbackdeploy.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import dev.rollbackdeploy.kubernetes.KubernetesClients;
import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import dev.rollbackdeploy.operations.KubernetesTargets;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import java.io.IOException;
import java.util.Optional;

/**
 * Which configured Kubernetes cluster a Kubernetes record is restored on, and with which credential: the
 * configured cluster named as the record's cluster (what {@code canaryDeploy cluster: …} records), else
 * the one named as the record's target key; the namespace is the record's own (where the recorded objects
 * live). The credential is looked up where the restore is asked for (the run, or the job whose page the
 * button is on), then the front door's {@link KubernetesTargets#open} opens the namespace. Every problem is
 * an INVALID {@link OperationException} naming what to configure, raised before anything is read or written.
 */
public final class KubernetesTargetsFromConfig {

    /** Where the cluster's credential is looked up. */
    @FunctionalInterface
    public interface Credentials {
        StandardCredentials find(String id, String namedBy) throws AbortException;

        /** In the run's context: the {@code rollbackTo} step. */
        static Credentials ofRun(Run<?, ?> run) {
            return (id, namedBy) -> SecretLookup.forRun(run, id, StandardCredentials.class, namedBy);
        }

        /** In the job's context: "Roll back to this build". */
        static Credentials ofItem(Item item) {
            return (id, namedBy) -> SecretLookup.forItem(item, id, StandardCredentials.class, namedBy);
        }
    }

    private KubernetesTargetsFromConfig() {
    }

    /** The configured cluster for this record's target, or empty when none is configured under either name. */
    public static Optional<KubernetesClusterConfig> clusterFor(Target.Kubernetes target) {
        RollbackConfiguration config = RollbackConfiguration.get();
        return config.kubernetesCluster(target.cluster()).or(() -> config.kubernetesCluster(target.key()));
    }

    /**
     * Opens the record's namespace on its configured cluster (one read: the namespace must exist). The caller closes it.
     *
     * @throws OperationException INVALID when the record is not a Kubernetes one, no cluster is configured
     *                            for it, its credential is missing or of the wrong type, or the kubeconfig
     *                            cannot be used (messages name the credential id, never its content)
     */
    public static KubernetesTargets.Opened open(DeploymentRecord record, Credentials credentials)
            throws OperationException, InterruptedException {
        if (!(record.target() instanceof Target.Kubernetes target)) {
            throw new OperationException(OperationException.Kind.INVALID, "record of " + record.ref() + " is for "
                    + record.target().key() + ", not a Kubernetes target");
        }
        KubernetesClusterConfig cluster = clusterFor(target).orElseThrow(() -> new OperationException(
                OperationException.Kind.INVALID, Messages.KubernetesTargetsFromConfig_NoCluster(record.ref(),
                        target.cluster(), target.key(), RollbackConfiguration.get().getKubernetesClusters().stream()
                                .map(KubernetesClusterConfig::getName).toList())));
        KubernetesConnection connection;
        try {
            StandardCredentials credential = credentials.find(cluster.getCredentialsId(), "Kubernetes cluster "
                    + cluster.getName());
            connection = cluster.connection(credential);
        } catch (AbortException | IllegalArgumentException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read credential '"
                    + cluster.getCredentialsId() + "' of Kubernetes cluster " + cluster.getName() + " ("
                    + e.getClass().getSimpleName() + "); nothing was changed", e);
        }
        return KubernetesTargets.open(record, connection, KubernetesClients.DEFAULT_REQUEST_TIMEOUT);
    }
}
