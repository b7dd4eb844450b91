package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.HttpRouteTrafficRouter;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.KubernetesRollout;
import dev.rollbackdeploy.kubernetes.KubernetesRun;
import dev.rollbackdeploy.kubernetes.LeaseLock;
import dev.rollbackdeploy.kubernetes.ReplicaRatioTrafficRouter;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.kubernetes.ServiceSwitch;
import dev.rollbackdeploy.traffic.TrafficGuard;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A Kubernetes target's adapters for one deploy, built from its validated spec: the cluster, the traffic
 * router (canary) or Service switch (blue-green), the Lease, and the two Deployments with their sizes.
 *
 * @param router   the canary's traffic router; null for blue-green
 * @param services blue-green's Service switch; null for a canary
 */
record KubernetesParts(KubernetesClient client, KubernetesCluster cluster, TrafficRouter router, ServiceSwitch services,
        LeaseLock lease, KubernetesRollout.Workloads workloads) {

    static KubernetesParts of(KubernetesClient client, DeploymentSpec spec, KubernetesTarget target, Clock clock) {
        Retrying retrying = Retrying.standard();
        String ns = target.namespace();
        KubernetesCluster cluster = new KubernetesCluster(client, ns, spec.build(), retrying, 3);
        int stableReplicas = Math.max(1, Releases.replicas(target.release(), target.stable()));
        int canaryReplicas = Releases.replicas(target.release(), target.canary());
        // A canary is at 0 in its release (it serves nothing once promoted): at full size it matches stable.
        int nextReplicas = spec.strategy() == DeploymentSpec.Strategy.CANARY || canaryReplicas < 1 ? stableReplicas
                : canaryReplicas;
        KubernetesRollout.Workloads workloads = new KubernetesRollout.Workloads(target.stable(), stableReplicas,
                target.canary(), nextReplicas);
        TrafficRouter router = switch (target.traffic()) {
            case HTTPROUTE -> new HttpRouteTrafficRouter(client, ns, target.route(), target.stableService(),
                    target.canaryService(), retrying);
            case REPLICAS -> new ReplicaRatioTrafficRouter(client, ns, target.stable().name(), target.canary().name(),
                    stableReplicas, retrying);
            case SERVICE -> null;
        };
        ServiceSwitch services = target.traffic() == KubernetesTarget.Traffic.SERVICE
                ? new ServiceSwitch(client, ns, target.service(), target.canaryService(), retrying) : null;
        LeaseLock lease = new LeaseLock(client, ns, target.key(), spec.build(), KubernetesDeploy.LEASE,
                Duration.ofSeconds(1), clock, retrying, d -> Thread.sleep(d.toMillis()));
        return new KubernetesParts(client, cluster, router, services, lease, workloads);
    }

    /** What the new version carries now, read back: the canary's share, or which version the active Service selects. */
    String trafficNow() throws IOException, InterruptedException {
        if (router != null) {
            return "the canary " + workloads.next().name() + " still carries " + router.canaryWeight()
                    + " of new requests (read back) and keeps its pods";
        }
        return "the active Service still selects " + services.activeSelector() + " (read back)";
    }

    /** The round-by-round rollout; a canary finishes its promotion onto the release. */
    KubernetesRun run(DeploymentSpec spec, KubernetesRollout.Gate gate, Consumer<String> progress) {
        if (services != null) {
            return KubernetesRun.blueGreen(spec.rollout(), cluster, workloads, services, null, gate, spec.gate().interval(),
                    progress);
        }
        return KubernetesRun.canary(spec.rollout(), cluster, workloads, router, gate, progress)
                .finishingPromotionOf(spec.kubernetes().release());
    }

    /**
     * Every new request on stable: the canary's weight to 0, or the active Service switched back; the
     * guard (a kill switch) asked first, which may replace moving traffic.
     */
    String putTrafficOnStable(TrafficGuard guard) throws IOException, InterruptedException {
        if (!guard.beforeTrafficBack(false)) {
            return "traffic NOT moved: the kill switch turned the flags off instead; " + trafficNow();
        }
        if (router != null) {
            router.setCanaryWeight(Weight.NONE);
            return "traffic is on stable (" + workloads.stable().name() + "), confirmed; the canary keeps its pods"
                    + " until the next deploy or a restore";
        }
        try {
            boolean wrote = services.switchBack();
            return "the active Service is back on the previous version (" + (wrote ? "1 write" : "it was already") + ")";
        } catch (IllegalStateException never) {
            return "the active Service was never switched: it still serves the previous version";
        }
    }
}
