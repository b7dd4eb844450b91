package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import dev.rollbackdeploy.kubernetes.KubernetesTargetCheck;
import dev.rollbackdeploy.kubernetes.KubernetesTargetException;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opens the Kubernetes target a record was deployed to (its namespace, from the record) through a
 * {@link KubernetesConnection}, for the one restore, diffs and status. One read before anything is
 * locked: the record's namespace exists (otherwise a restore would create objects the API server
 * refuses one by one, or, on a server that does not check, wait for pods that never come).
 * Credentials never reach a message.
 */
public final class KubernetesTargets {

    /**
     * An open cluster; closing it closes its client.
     *
     * @param warnings what could not be checked and blocks nothing (this account may not read namespaces)
     */
    public record Opened(KubernetesCluster cluster, String description, KubernetesClient client, List<String> warnings)
            implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    private KubernetesTargets() {
    }

    /**
     * How the CLI (and a step without credentials) reaches the cluster: the pod's service account when
     * {@code inCluster}, else the kubeconfig file given, else {@code $KUBECONFIG}, else ~/.kube/config.
     */
    public static KubernetesConnection connection(Path kubeconfig, String context, boolean inCluster) {
        if (inCluster) {
            return KubernetesConnection.inCluster();
        }
        Path file = kubeconfig;
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
                    : Path.of(System.getProperty("user.home"), ".kube", "config");
        }
        return KubernetesConnection.kubeconfigFile(file, context);
    }

    /**
     * @throws OperationException INVALID when the record is not of a Kubernetes target, or the
     *                            connection is described wrongly (kubeconfig missing, no such context), or
     *                            the record's namespace does not exist; INFRASTRUCTURE when the API server
     *                            cannot be asked whether it does
     */
    public static Opened open(DeploymentRecord record, KubernetesConnection connection, Duration requestTimeout)
            throws OperationException, InterruptedException {
        if (!(record.target() instanceof Target.Kubernetes target)) {
            throw new OperationException(OperationException.Kind.INVALID, "record of " + record.ref() + " is for "
                    + record.target() + ", not a Kubernetes target");
        }
        KubernetesClient client;
        try {
            client = connection.connect(requestTimeout);
        } catch (KubernetesTargetException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was read or changed", e);
        }
        String description = "namespace " + target.namespace() + " through " + connection;
        List<String> warnings;
        try {
            warnings = KubernetesTargetCheck.checkNamespace(client, target.namespace(), Retrying.standard());
        } catch (KubernetesTargetException e) {
            client.close();
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        } catch (IOException e) {
            client.close();
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read " + description + ": "
                    + e.getMessage() + "; nothing was changed", e);
        } catch (InterruptedException e) {
            client.close();
            throw e;
        }
        return new Opened(new KubernetesCluster(client, target.namespace(), record.ref()), description, client, warnings);
    }
}
