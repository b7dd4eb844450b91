package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Splits traffic without a gateway: one Service selects the pods of a stable and a canary
 * Deployment, so the canary's share of requests is its share of the pods. A fixed total of replicas
 * is divided between the two.
 *
 * <p>Only shares of {@code 1/total} are possible: the router sets the nearest one, keeping at least
 * one pod on each side for any weight strictly between 0 and 100, and {@link #canaryWeight} reports
 * the share actually in force (asking 10% of 4 replicas gives 1 canary pod, 25%). The share is read
 * from {@code spec.replicas}, i.e. intended pods; whether they are ready is the readiness check's job.
 */
public final class ReplicaRatioTrafficRouter implements TrafficRouter {

    private final KubernetesClient client;
    private final String namespace;
    private final String stable;
    private final String canary;
    private final int total;
    private final Retrying retrying;

    public ReplicaRatioTrafficRouter(KubernetesClient client, String namespace, String stableDeployment,
            String canaryDeployment, int totalReplicas, Retrying retrying) {
        if (totalReplicas < 2) {
            throw new IllegalArgumentException("total replicas must be 2 or more to split traffic, got " + totalReplicas);
        }
        if (stableDeployment == null || stableDeployment.equals(canaryDeployment)) {
            throw new IllegalArgumentException("stable and canary Deployments must differ, got '" + stableDeployment
                    + "' and '" + canaryDeployment + "'");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.stable = stableDeployment;
        this.canary = Objects.requireNonNull(canaryDeployment, "canaryDeployment");
        this.total = totalReplicas;
        this.retrying = Objects.requireNonNull(retrying, "retrying");
    }

    /** Canary pods for a weight: the nearest share, never 0 or all of them unless asked for exactly. */
    int canaryReplicas(Weight weight) {
        if (weight.percent() == 0 || weight.percent() == 100) {
            return weight.percent() == 0 ? 0 : total;
        }
        int nearest = (int) Math.round(total * weight.percent() / 100.0);
        return Math.max(1, Math.min(total - 1, nearest));
    }

    @Override
    public void setCanaryWeight(Weight weight) throws IOException, InterruptedException {
        int wantCanary = canaryReplicas(weight);
        scaleIfNeeded(canary, wantCanary);
        scaleIfNeeded(stable, total - wantCanary);
        int canaryNow = replicas(canary);
        int stableNow = replicas(stable);
        if (canaryNow != wantCanary || stableNow != total - wantCanary) {
            throw new IOException("Deployments " + namespace + "/" + stable + " and " + canary + " have " + stableNow + " and "
                    + canaryNow + " replicas after setting " + weight + ": something else scales them");
        }
    }

    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        int c = replicas(canary);
        int s = replicas(stable);
        return Weight.of(c + s == 0 ? 0 : (int) Math.round(100.0 * c / (c + s)));
    }

    private void scaleIfNeeded(String deployment, int replicas) throws IOException, InterruptedException {
        if (replicas(deployment) == replicas) {
            return;
        }
        PatchContext patch = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(Marks.FIELD_MANAGER).build();
        retrying.call("scale Deployment " + namespace + "/" + deployment, () -> client.apps().deployments()
                .inNamespace(namespace).withName(deployment).patch(patch, "{\"spec\":{\"replicas\":" + replicas + "}}"));
    }

    @SuppressWarnings("unchecked")
    private int replicas(String deployment) throws IOException, InterruptedException {
        GenericKubernetesResource live = retrying.call("read Deployment " + namespace + "/" + deployment,
                () -> client.genericKubernetesResources("apps/v1", "Deployment").inNamespace(namespace).withName(deployment)
                        .get());
        if (live == null) {
            throw new IOException("Deployment " + namespace + "/" + deployment + " does not exist");
        }
        Object spec = live.getAdditionalProperties().get("spec");
        Object replicas = spec instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("replicas") : null;
        return replicas instanceof Number n ? n.intValue() : 1;
    }
}
