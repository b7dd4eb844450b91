package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One namespace of a Kubernetes cluster as a {@link Cluster}. Writes are server-side applies under
 * the field manager {@code rollback-deploy} with conflicts forced (a restore means "make it exactly
 * this again", including fields someone changed by hand), so that the server records which fields
 * are ours and {@link #observe} can compare live objects with records ({@link LiveObjects}).
 *
 * <p>Every object we write carries the label {@code app.kubernetes.io/managed-by=rollback-deploy}
 * and the annotations {@code rollback-deploy.io/build} (the build that wrote it) and
 * {@code rollback-deploy.io/template-hash} (the canonical hash it was applied from). Secret data is
 * compared by hash like everything else but never appears in a message.
 */
public final class KubernetesCluster implements Cluster {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final KubernetesClient client;
    private final String namespace;
    private final BuildRef build;
    private final Retrying retrying;
    private final WorkloadPods pods;
    private final TrafficRouter router;

    /**
     * @param build             the build on whose behalf objects are written (recorded on each object)
     * @param crashLoopRestarts restarts after which a crash-looping pod fails the rollout
     */
    public KubernetesCluster(KubernetesClient client, String namespace, BuildRef build, Retrying retrying,
            int crashLoopRestarts) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be a DNS label (lowercase, digits, '-', at most 63), got '"
                    + namespace + "'");
        }
        if (crashLoopRestarts < 1) {
            throw new IllegalArgumentException("crashLoopRestarts must be 1 or more, got " + crashLoopRestarts);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = namespace;
        this.build = Objects.requireNonNull(build, "build");
        this.retrying = Objects.requireNonNull(retrying, "retrying");
        this.pods = new WorkloadPods(client, namespace, retrying, crashLoopRestarts);
        this.router = null;
    }

    private KubernetesCluster(KubernetesCluster base, TrafficRouter router) {
        this.client = base.client;
        this.namespace = base.namespace;
        this.build = base.build;
        this.retrying = base.retrying;
        this.pods = base.pods;
        this.router = router;
    }

    /**
     * The same cluster, whose {@link #observe} also reports the canary share in force from this
     * router, so a restore first takes traffic off a canary.
     */
    public KubernetesCluster withTrafficRouter(TrafficRouter trafficRouter) {
        return new KubernetesCluster(this, Objects.requireNonNull(trafficRouter, "trafficRouter"));
    }

    public KubernetesCluster(KubernetesClient client, String namespace, BuildRef build) {
        this(client, namespace, build, Retrying.standard(), 3);
    }

    @Override
    public LiveState observe() throws IOException, InterruptedException {
        List<CanonicalObject> objects = new ArrayList<>();
        for (SupportedKind kind : SupportedKind.ALL) {
            List<GenericKubernetesResource> items = retrying.call("list " + kind.kind() + " in " + namespace, () -> {
                try {
                    return client.genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(namespace)
                            .withLabel(Marks.MANAGED_BY_LABEL, Marks.MANAGED_BY_VALUE).list().getItems();
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 404) {
                        return List.of(); // the API (e.g. Gateway API CRDs) is not installed: nothing of ours there
                    }
                    throw e;
                }
            });
            for (GenericKubernetesResource item : items) {
                if (item.getMetadata().getAnnotations() != null
                        && item.getMetadata().getAnnotations().containsKey(Marks.TEMPLATE_HASH_ANNOTATION)) {
                    objects.add(LiveObjects.canonical(json(item)));
                }
            }
        }
        return new LiveState(ManifestSet.of(objects),
                router == null ? Optional.empty() : Optional.of(router.canaryWeight()));
    }

    /**
     * One object as {@link #observe()} would report it (the fields our manager owns, canonical), read
     * with one request; empty when it does not exist or carries no mark of ours.
     */
    public Optional<CanonicalObject> observe(ObjectKey key) throws IOException, InterruptedException {
        Optional<String> live = liveJson(key);
        if (live.isEmpty() || LiveObjects.read(live.get()).path("metadata").path("annotations")
                .path(Marks.TEMPLATE_HASH_ANNOTATION).isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(LiveObjects.canonical(live.get()));
    }

    /** One object as the API server returns it (JSON), or empty when it does not exist. */
    Optional<String> liveJson(ObjectKey key) throws IOException, InterruptedException {
        SupportedKind kind = SupportedKind.require(key);
        GenericKubernetesResource live = retrying.call("read " + key, () -> client
                .genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(namespace).withName(key.name()).get());
        return live == null ? Optional.empty() : Optional.of(json(live));
    }

    @Override
    public void apply(CanonicalObject object) throws IOException, InterruptedException {
        ObjectKey key = object.key();
        SupportedKind.require(key);
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(LiveObjects.write(marked(object)), GenericKubernetesResource.class);
        retrying.call("apply " + key, () -> client.resource(resource).inNamespace(namespace)
                .fieldManager(Marks.FIELD_MANAGER).forceConflicts().serverSideApply());
    }

    /** The object as applied: the canonical content plus our label and annotations. */
    ObjectNode marked(CanonicalObject object) {
        ObjectKey key = object.key();
        if (!key.namespace().isEmpty() && !key.namespace().equals(namespace)) {
            throw new IllegalArgumentException("metadata.namespace of " + key + " must be '" + namespace
                    + "' (the target's namespace), got '" + key.namespace() + "'");
        }
        ObjectNode node = (ObjectNode) LiveObjects.read(object.canonicalJson());
        ObjectNode metadata = node.withObjectProperty("metadata");
        metadata.put("namespace", namespace);
        ObjectNode labels = metadata.withObjectProperty("labels");
        ObjectNode annotations = metadata.withObjectProperty("annotations");
        JsonNode managedBy = labels.get(Marks.MANAGED_BY_LABEL);
        if (managedBy == null) {
            labels.put(Marks.MANAGED_BY_LABEL, Marks.MANAGED_BY_VALUE);
            annotations.put(Marks.LABEL_ADDED_ANNOTATION, "true");
        } else if (!Marks.MANAGED_BY_VALUE.equals(managedBy.asText())) {
            throw new IllegalArgumentException("metadata.labels." + Marks.MANAGED_BY_LABEL + " of " + key + " must be '"
                    + Marks.MANAGED_BY_VALUE + "' or absent, got '" + managedBy.asText()
                    + "': another tool manages this object");
        }
        annotations.put(Marks.BUILD_ANNOTATION, build.toString());
        annotations.put(Marks.TEMPLATE_HASH_ANNOTATION, object.hash().toString());
        return node;
    }

    @Override
    public void delete(ObjectKey object) throws IOException, InterruptedException {
        SupportedKind kind = SupportedKind.require(object);
        // fabric8 answers a delete of a missing object with an empty list, not an error.
        retrying.call("delete " + object, () -> client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                .inNamespace(namespace).withName(object.name()).delete());
    }

    @Override
    public void scale(ObjectKey workload, int replicas) throws IOException, InterruptedException {
        SupportedKind kind = requireWorkload(workload);
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas of " + workload + " must be 0 or more, got " + replicas);
        }
        // A merge patch under our field manager keeps spec.replicas ours; a server-side apply of only
        // spec.replicas would instead give up (and so delete) every other field we own.
        PatchContext patch = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(Marks.FIELD_MANAGER).build();
        retrying.call("scale " + workload, () -> client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                .inNamespace(namespace).withName(workload.name()).patch(patch, "{\"spec\":{\"replicas\":" + replicas + "}}"));
    }

    @Override
    public boolean isReady(ObjectKey workload) throws WorkloadFailedException, IOException, InterruptedException {
        SupportedKind kind = requireWorkload(workload);
        GenericKubernetesResource live = retrying.call("read " + workload, () -> client
                .genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(namespace)
                .withName(workload.name()).get());
        if (live == null) {
            return false;
        }
        JsonNode node = LiveObjects.read(json(live));
        Optional<String> stuck = Rollout.deadlineExceeded(node);
        if (stuck.isPresent()) {
            throw new WorkloadFailedException(workload, stuck.get());
        }
        if (Rollout.isComplete(node)) {
            return true;
        }
        Optional<String> problem = pods.problem(node);
        if (problem.isPresent()) {
            throw new WorkloadFailedException(workload, problem.get());
        }
        return false;
    }

    /** The workload's {@code spec.replicas} now (0 when it does not exist, 1 when unset, as the API defaults it). */
    public int replicas(ObjectKey workload) throws IOException, InterruptedException {
        SupportedKind kind = requireWorkload(workload);
        GenericKubernetesResource live = retrying.call("read " + workload, () -> client
                .genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(namespace)
                .withName(workload.name()).get());
        if (live == null) {
            return 0;
        }
        JsonNode replicas = LiveObjects.read(json(live)).path("spec").path("replicas");
        return replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asInt();
    }

    private static SupportedKind requireWorkload(ObjectKey workload) {
        SupportedKind kind = SupportedKind.require(workload);
        if (!kind.workload()) {
            throw new IllegalArgumentException("workload must be a Deployment, StatefulSet or DaemonSet, got " + workload);
        }
        return kind;
    }

    private String json(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().asJson(resource);
    }

    @Override
    public String toString() {
        return "KubernetesCluster[" + client.getMasterUrl().getHost() + " namespace " + namespace + " as " + build + "]";
    }
}
