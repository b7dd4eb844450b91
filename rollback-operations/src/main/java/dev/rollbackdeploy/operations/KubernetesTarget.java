package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.Target;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes target of a deployment spec ({@code target.kubernetes}), validated: how to reach the
 * cluster (never the credentials themselves), the namespace, this build's release (its rendered
 * manifests with every image pinned to a digest), the two Deployments and how traffic moves between them.
 *
 * @param cluster        the kubeconfig context's cluster name (or {@code in-cluster}), for the record
 * @param server         the API server's URL, for the record
 * @param release        this build's manifests, images pinned
 * @param images         each workload's image and the digest it was pinned to
 * @param stable         the Deployment live now
 * @param canary         the canary Deployment (canary) or the new colour (blue-green)
 * @param route          the HTTPRoute's name (traffic {@code httproute}), else null
 * @param service        the active Service (traffic {@code service}), else null
 * @param stableService  traffic httproute: the route's backend Service of the stable pods, else null
 * @param canaryService  the Service selecting the canary's (blue-green: the new colour's) pods; null with replicas
 */
public record KubernetesTarget(String key, String credentialsId, KubernetesConnection connection, String cluster,
        URI server, String namespace, ManifestSet release, List<DeployedWorkload> images, ObjectKey stable, ObjectKey canary,
        Traffic traffic, String route, String service, String stableService, String canaryService) implements DeploymentSpec.TargetSpec {

    /** How traffic moves between the two versions. */
    public enum Traffic {
        /** Gateway API HTTPRoute backend weights. */
        HTTPROUTE("httproute"),
        /** The ratio of the two Deployments' replicas behind one Service. */
        REPLICAS("replicas"),
        /** Blue-green: the active Service's selector switched in one write. */
        SERVICE("service");

        private final String word;

        Traffic(String word) {
            this.word = word;
        }

        /** As the spec writes it. */
        public String word() {
            return word;
        }
    }

    public KubernetesTarget {
        Objects.requireNonNull(connection, "connection");
        images = List.copyOf(images);
    }

    /** The stable Deployment as the release holds it (its new template; stable rolls onto it on promotion). */
    public CanonicalObject stableInRelease() {
        return release.get(stable).orElseThrow();
    }

    /** The target as records name it. */
    public Target.Kubernetes recordTarget() {
        return new Target.Kubernetes(key, cluster, server, namespace, credentialsId);
    }
}
