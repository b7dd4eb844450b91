package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Checks a Kubernetes target before anything is locked or written: the manifests first (offline),
 * then the namespace (one read). Never writes. Each failure is a {@link KubernetesTargetException}
 * naming the field, the value and what would be right.
 */
public final class KubernetesTargetCheck {

    private KubernetesTargetCheck() {
    }

    /**
     * Offline: every named workload is a Deployment, StatefulSet or DaemonSet of the rendered
     * manifests, and every rendered object is of a supported kind and in the target's namespace.
     *
     * @throws KubernetesTargetException the first thing wrong
     */
    public static void checkManifests(String namespace, ManifestSet rendered, Collection<ObjectKey> workloads) {
        Objects.requireNonNull(rendered, "rendered");
        for (CanonicalObject object : rendered.objects()) {
            ObjectKey key = object.key();
            if (SupportedKind.of(key).isEmpty()) {
                throw new KubernetesTargetException("manifests", key.toString(), "is of a kind this target does not manage; "
                        + "kinds must be one of " + SupportedKind.ALL.stream().map(SupportedKind::kind).toList());
            }
            if (!key.namespace().isEmpty() && !key.namespace().equals(namespace)) {
                throw new KubernetesTargetException("manifests", key.toString(), "is in namespace '" + key.namespace()
                        + "'; every object must be in the target's namespace '" + namespace + "' or name none");
            }
        }
        List<ObjectKey> present = rendered.keys().stream()
                .filter(k -> SupportedKind.of(k).map(SupportedKind::workload).orElse(false)).toList();
        for (ObjectKey workload : workloads) {
            if (!SupportedKind.of(workload).map(SupportedKind::workload).orElse(false)) {
                throw new KubernetesTargetException("kubernetes.workloads", workload.toString(),
                        "is not a workload; it must be a Deployment, StatefulSet or DaemonSet of the manifests " + present);
            }
            if (rendered.get(workload).isEmpty()) {
                throw new KubernetesTargetException("kubernetes.workloads", workload.toString(),
                        "is not in the rendered manifests; the workloads they have are " + present);
            }
        }
    }

    /**
     * One read: the namespace exists.
     *
     * @return warnings that block nothing (reading namespaces is forbidden to this account, as it
     *         is to a service account bound to a namespaced Role, so existence could not be checked)
     * @throws KubernetesTargetException the namespace does not exist
     * @throws IOException               the API server could not be asked
     */
    public static List<String> checkNamespace(KubernetesClient client, String namespace, Retrying retrying)
            throws IOException, InterruptedException {
        List<String> warnings = new ArrayList<>();
        Boolean exists = retrying.call("read namespace " + namespace, () -> {
            try {
                return client.namespaces().withName(namespace).get() != null;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403) {
                    return null;
                }
                throw e;
            }
        });
        if (exists == null) {
            warnings.add("could not check that namespace '" + namespace + "' exists: this account may not read namespaces"
                    + " (HTTP 403); writes will fail there if it does not");
        } else if (!exists) {
            throw new KubernetesTargetException("kubernetes.namespace", namespace, "does not exist on "
                    + client.getMasterUrl().getHost() + "; create it first or name an existing one");
        }
        return warnings;
    }

    /** {@link #checkManifests} then {@link #checkNamespace}: nothing is read when the manifests are wrong. */
    public static List<String> check(KubernetesClient client, String namespace, ManifestSet rendered,
            Collection<ObjectKey> workloads, Retrying retrying) throws IOException, InterruptedException {
        checkManifests(namespace, rendered, workloads);
        return checkNamespace(client, namespace, retrying);
    }
}
