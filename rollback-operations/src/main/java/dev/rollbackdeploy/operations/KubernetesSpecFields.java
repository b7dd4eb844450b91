package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.kubernetes.KubernetesConnection;
import dev.rollbackdeploy.kubernetes.KubernetesTargetCheck;
import dev.rollbackdeploy.kubernetes.KubernetesTargetException;
import dev.rollbackdeploy.manifest.ContainerImage;
import dev.rollbackdeploy.manifest.ImagePinner;
import dev.rollbackdeploy.manifest.ManifestException;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.DeployedWorkload;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw fields of {@code target.kubernetes} and their validation into a {@link KubernetesTarget}.
 * Offline only: the kubeconfig is parsed (its context must exist; no request is sent) and the
 * manifests are read; whether the namespace exists is asked by the deployment before its lock.
 */
final class KubernetesSpecFields {

    static final String AT = "target.kubernetes.";

    Object kubeconfig;
    Object context;
    Object inCluster;
    Object namespace;
    Object manifests;
    Object digests;
    Object stable;
    Object canary;
    Object traffic;
    Object route;
    Object service;
    Path baseDirectory;
    KubernetesConnection connection;
    String clusterName;

    /** Whether any field was given: the spec's target is Kubernetes. */
    boolean given() {
        return kubeconfig != null || context != null || inCluster != null || namespace != null || manifests != null
                || digests != null || stable != null || canary != null || traffic != null || route != null
                || service != null || connection != null;
    }

    KubernetesTarget toTarget(SpecValues in, String key, Object credentialsId, DeploymentSpec.Strategy strategy) {
        String credentials = credentialsId == null ? "kubeconfig"
                : in.text("target.credentialsId", credentialsId, "must be a credentials id (never a secret)");
        String ns = in.text(AT + "namespace", namespace, "must name the namespace, e.g. shop");
        if (ns != null && !ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            in.problem(AT + "namespace", ns, "must be a DNS label (lowercase letters, digits, '-', at most 63)");
            ns = null;
        }
        Connected reached = connect(in);
        ManifestSet release = release(in, ns);
        ObjectKey stableKey = deployment(in, "stable", stable, ns, release, "the Deployment live now, e.g. shop");
        ObjectKey canaryKey = deployment(in, "canary", canary, ns, release, strategy == DeploymentSpec.Strategy.BLUE_GREEN
                ? "the new colour's Deployment, e.g. shop-green" : "the canary Deployment, e.g. shop-canary");
        if (stableKey != null && stableKey.equals(canaryKey)) {
            in.problem(AT + "canary", String.valueOf(canary), "must differ from target.kubernetes.stable");
            canaryKey = null;
        }
        KubernetesTarget.Traffic method = traffic(in, strategy);
        String routeName = null;
        String serviceName = null;
        String stableService = null;
        String canaryService = null;
        if (method == KubernetesTarget.Traffic.HTTPROUTE) {
            routeName = in.text(AT + "route", route, "must name the HTTPRoute whose weights move traffic (traffic: httproute)");
            if (stableKey != null && canaryKey != null) {
                stableService = Releases.serviceSelecting(release, stableKey, canaryKey, null).orElse(null);
                canaryService = stableService == null ? null
                        : Releases.serviceSelecting(release, canaryKey, stableKey, stableService).orElse(null);
                if (stableService == null || canaryService == null) {
                    in.problem(AT + (stableService == null ? "stable" : "canary"), String.valueOf(stableService == null
                            ? stable : canary), "needs its own Service in the manifests selecting its pods: the HTTPRoute's"
                            + " backend for that version (and not the other's)");
                }
            }
        } else if (route != null && method != null) {
            in.problem(AT + "route", String.valueOf(route), "belongs to traffic: httproute");
        }
        if (method == KubernetesTarget.Traffic.SERVICE) {
            serviceName = in.text(AT + "service", service, "must name the active Service that blue-green switches");
            if (serviceName != null && canaryKey != null) {
                canaryService = Releases.serviceSelecting(release, canaryKey, stableKey, serviceName).orElse(null);
                if (canaryService == null) {
                    in.problem(AT + "canary", canary.toString(), "needs a Service in the manifests (other than "
                            + serviceName + ") selecting its pods: the preview that the active Service is switched to");
                }
            }
        } else if (service != null && method != null) {
            in.problem(AT + "service", String.valueOf(service), "belongs to strategy blueGreen with traffic: service");
        }
        if (canaryKey != null && release != null && strategy == DeploymentSpec.Strategy.CANARY
                && Releases.replicas(release, canaryKey) != 0) {
            in.problem(AT + "canary", canary.toString(), "must have spec.replicas: 0 in the manifests (the rollout scales it"
                    + " up; after a promotion it serves nothing), has " + Releases.replicas(release, canaryKey));
        }
        if (reached == null || ns == null || release == null || stableKey == null || canaryKey == null || method == null) {
            return null;
        }
        Map<ImageRef, Digest> pins = pins(in);
        ManifestSet pinned = pins == null ? null : pinned(in, release, pins);
        if (pinned == null) {
            return null;
        }
        return new KubernetesTarget(key, credentials, reached.connection, reached.cluster, reached.server, ns, pinned,
                images(release, pins), stableKey, canaryKey, method, routeName, serviceName, stableService, canaryService);
    }

    private record Connected(KubernetesConnection connection, String cluster, URI server) {
    }

    /** The connection described offline (the file exists, the context is in it); credentials never quoted. */
    private Connected connect(SpecValues in) {
        KubernetesConnection described = connection;
        if (described == null) {
            Boolean pod = inCluster == null ? Boolean.FALSE : inCluster instanceof Boolean b ? b : null;
            if (pod == null) {
                in.problem(AT + "inCluster", String.valueOf(inCluster), "must be true or false");
                return null;
            }
            if (pod && kubeconfig != null) {
                in.problem(AT + "kubeconfig", String.valueOf(kubeconfig), "and inCluster: true exclude each other;"
                        + " give one (a kubeconfig path, or inCluster: true inside a pod)");
                return null;
            }
            if (pod && context != null) {
                in.problem(AT + "context", String.valueOf(context), "belongs to a kubeconfig; inCluster: true has none");
                return null;
            }
            if (!pod) {
                String file = in.text(AT + "kubeconfig", kubeconfig, "must be the path of a kubeconfig file, e.g."
                        + " /home/me/.kube/config, or set inCluster: true inside a pod (no silent fallback)");
                if (file == null) {
                    return null;
                }
                if (context != null && !(context instanceof String)) {
                    in.problem(AT + "context", String.valueOf(context), "must be a context name of the kubeconfig");
                    return null;
                }
                described = KubernetesConnection.kubeconfigFile(resolve(file), (String) context);
            } else {
                described = KubernetesConnection.inCluster();
            }
        }
        try (KubernetesClient client = described.connect(Duration.ofSeconds(10))) {
            var current = client.getConfiguration().getCurrentContext();
            String cluster = clusterName != null && !clusterName.isBlank() ? clusterName.strip()
                    : current != null && current.getContext() != null && current.getContext().getCluster() != null
                    ? current.getContext().getCluster() : "in-cluster";
            return new Connected(described, cluster, URI.create(client.getMasterUrl().toString()));
        } catch (KubernetesTargetException e) {
            String field = "target." + e.field();
            String prefix = e.field() + " '" + e.value() + "' ";
            String what = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            in.problem(field, e.value(), what);
            return null;
        }
    }

    /** The rendered manifests, read and checked offline (kinds, namespaces); null when they cannot be. */
    private ManifestSet release(SpecValues in, String ns) {
        List<String> files = in.texts(AT + "manifests", manifests,
                "must list this build's rendered manifest files, e.g. [build-43/app.yaml]");
        if (files == null) {
            return null;
        }
        ManifestSet rendered;
        try {
            rendered = new ManifestReader().read(files.stream().map(this::resolve).toList());
        } catch (ManifestException e) {
            in.problem(AT + "manifests", files.toString(), "cannot be read: " + e.getMessage());
            return null;
        }
        if (ns != null) {
            try {
                KubernetesTargetCheck.checkManifests(ns, rendered, List.of());
            } catch (KubernetesTargetException e) {
                in.problem(AT + "manifests", e.value(), e.getMessage().substring(e.field().length() + e.value().length() + 4));
                return null;
            }
        }
        return rendered;
    }

    private ObjectKey deployment(SpecValues in, String field, Object raw, String ns, ManifestSet release, String example) {
        String name = in.text(AT + field, raw, "must name " + example);
        if (name == null || ns == null || release == null) {
            return null;
        }
        ObjectKey key = new ObjectKey("apps", "Deployment", ns, name);
        if (release.get(key).isEmpty()) {
            in.problem(AT + field, name, "is not a Deployment of the manifests; they have " + Releases.deployments(release));
            return null;
        }
        return key;
    }

    private KubernetesTarget.Traffic traffic(SpecValues in, DeploymentSpec.Strategy strategy) {
        if (traffic == null) {
            if (strategy == DeploymentSpec.Strategy.BLUE_GREEN) {
                return KubernetesTarget.Traffic.SERVICE;
            }
            in.problem(AT + "traffic", null, "is missing; must be httproute or replicas for a canary");
            return null;
        }
        for (KubernetesTarget.Traffic t : KubernetesTarget.Traffic.values()) {
            if (t.word().equals(traffic)) {
                boolean blueGreen = strategy == DeploymentSpec.Strategy.BLUE_GREEN;
                if (blueGreen != (t == KubernetesTarget.Traffic.SERVICE)) {
                    in.problem(AT + "traffic", t.word(), blueGreen ? "must be service for strategy blueGreen"
                            : "must be httproute or replicas for a canary (service is blue-green's switch)");
                    return null;
                }
                return t;
            }
        }
        in.problem(AT + "traffic", String.valueOf(traffic), "must be httproute, replicas or service");
        return null;
    }

    /** The digests file's pins (none when not given); null when it is wrong (reported). */
    private Map<ImageRef, Digest> pins(SpecValues in) {
        if (digests == null) {
            return Map.of();
        }
        String file = in.text(AT + "digests", digests, "must be the path of a YAML map image -> digest");
        if (file == null) {
            return null;
        }
        try {
            return DigestPins.read(resolve(file));
        } catch (IllegalArgumentException e) {
            in.problem(AT + "digests", file, e.getMessage());
            return null;
        }
    }

    /** The release with every image pinned: by digest in the manifests, or from the digests file. */
    private ManifestSet pinned(SpecValues in, ManifestSet release, Map<ImageRef, Digest> known) {
        List<String> missing = ImagePinner.images(release).stream()
                .filter(c -> c.image().digestIfAny().isEmpty() && !known.containsKey(c.image()))
                .map(c -> c.workload() + ": " + c.image()).toList();
        if (!missing.isEmpty()) {
            in.problem(AT + "digests", digests == null ? null : String.valueOf(digests), "must pin every image to a digest"
                    + " (a line 'IMAGE: sha256:<64 hex>' each, or image@sha256:… in the manifests); not pinned: " + missing);
            return null;
        }
        // The pinner asks for an image by its tag even when the manifest pins it (tag@digest): answer with that pin.
        Map<ImageRef, Digest> inManifests = new HashMap<>();
        for (ContainerImage c : ImagePinner.images(release)) {
            ImageRef image = c.image();
            image.digestIfAny().ifPresent(d -> inManifests.put(image.tagIfAny().isPresent()
                    ? new ImageRef(image.registry(), image.repository(), image.tag(), null) : image, d));
        }
        try {
            return ImagePinner.pin(release, image -> known.containsKey(image) ? known.get(image) : inManifests.get(image));
        } catch (ManifestException e) {
            in.problem(AT + "digests", String.valueOf(digests), "contradicts the manifests: " + e.getMessage());
            return null;
        }
    }

    /** Each container's image as the manifests name it and the digest it runs (as {@code rollback record} writes them). */
    private static List<DeployedWorkload> images(ManifestSet release, Map<ImageRef, Digest> pins) {
        List<DeployedWorkload> out = new ArrayList<>();
        for (ContainerImage image : ImagePinner.images(release)) {
            Digest digest = image.image().digestIfAny().orElseGet(() -> pins.get(image.image()));
            out.add(new DeployedWorkload(image.workload(), image.image(), digest));
        }
        return out;
    }

    private Path resolve(String file) {
        Path path = Path.of(file);
        return path.isAbsolute() || baseDirectory == null ? path : baseDirectory.resolve(path);
    }
}
