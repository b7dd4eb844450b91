package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.traffic.TrafficGuard;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The writes of a {@link KubernetesRun} round and the readiness waits around them: the canary's weight
 * (its pods up and ready first), blue-green's switch and switch back, scaling. Each reads before it
 * writes, and a half-done one leaves in the {@link RunWork} how far it got, so a resumed round repeats
 * no write.
 */
final class RunWrites {

    private final RolloutSpec spec;
    private final KubernetesCluster cluster;
    private final KubernetesRollout.Workloads workloads;
    private final TrafficRouter router;
    private final ServiceSwitch services;
    private final Consumer<String> progress;
    private TrafficGuard guard = TrafficGuard.NONE;

    RunWrites(RolloutSpec spec, KubernetesCluster cluster, KubernetesRollout.Workloads workloads, TrafficRouter router,
            ServiceSwitch services, Consumer<String> progress) {
        this.spec = spec;
        this.cluster = cluster;
        this.workloads = workloads;
        this.router = router;
        this.services = services;
        this.progress = progress;
    }

    /** Asked before traffic goes back to stable in an abort or a switch back (a kill switch); never on promotion. */
    void guard(TrafficGuard value) {
        guard = value;
    }

    TrafficGuard guard() {
        return guard;
    }

    RunStep setWeight(RunWork w, Weight weight, Instant now) throws IOException, InterruptedException {
        boolean aborting = w.rollout.phase() == Phase.ABORTING;
        boolean routerScalesPods = router instanceof ReplicaRatioTrafficRouter;
        if (!w.headWritten) {
            if (!weight.equals(Weight.NONE) && !routerScalesPods) {
                Readiness.Poll poll = scaleUpAndPoll(w, workloads.next(), workloads.nextReplicas(), now);
                if (poll instanceof Readiness.Poll.NotYet) {
                    return RunStep.waitUntil(now.plus(KubernetesRollout.POLL));
                }
                w.readyBy = null;
                if (poll instanceof Readiness.Poll.Broken broken) {
                    w.seen = Observation.workloadFailed(broken.reason());
                    return RunStep.BREAK;
                }
            }
            if (aborting && weight.equals(Weight.NONE) && !guard.beforeTrafficBack(w.rollout.failure())) {
                progress.accept("traffic NOT moved back: the guard (a kill switch, instead-of-traffic) replaced the write;"
                        + " the canary keeps " + router.canaryWeight() + " and its pods");
                w.headWritten = true;
                return RunStep.NEXT;
            }
            try {
                router.setCanaryWeight(weight);
                progress.accept("canary weight " + weight + " confirmed");
            } catch (IOException e) {
                progress.accept("setting canary weight " + weight + " failed: " + e.getMessage());
                if (aborting && ++w.trafficBackFailures >= KubernetesRollout.TRAFFIC_BACK_ATTEMPTS) {
                    throw new IOException("could not put traffic back on stable after " + w.trafficBackFailures
                            + " attempts; the traffic split is UNKNOWN: " + e.getMessage(), e);
                }
                w.seen = Observation.intentFailed(e.getMessage());
                if (aborting) {
                    // The engine asks for the write again; a second later, so a failing API server is not hammered.
                    w.dropDecision();
                    return RunStep.waitUntil(now.plus(KubernetesRollout.POLL));
                }
                return RunStep.BREAK;
            }
            w.headWritten = true;
        }
        if (routerScalesPods && !weight.equals(Weight.NONE)) {
            Readiness.Poll poll = poll(w, workloads.next(), now);
            if (poll instanceof Readiness.Poll.NotYet) {
                return RunStep.waitUntil(now.plus(KubernetesRollout.POLL));
            }
            if (poll instanceof Readiness.Poll.Broken broken) {
                w.seen = Observation.workloadFailed(broken.reason());
                return RunStep.BREAK;
            }
        }
        return RunStep.NEXT;
    }


    RunStep switchActive(RunWork w, Intent.Side side, Instant now) throws IOException, InterruptedException {
        if (side == Intent.Side.PREVIEW) {
            try {
                boolean wrote = services.promote();
                progress.accept("switched the active Service to the new version (" + (wrote ? "1 write" : "already there") + ")");
                return RunStep.NEXT;
            } catch (IOException e) {
                progress.accept("the switch was not confirmed: " + e.getMessage());
                w.seen = Observation.workloadFailed("the switch to the new version was not confirmed: " + e.getMessage());
                return RunStep.BREAK;
            }
        }
        if (!guard.beforeTrafficBack(false)) {
            progress.accept("the active Service is NOT switched back: the guard (a kill switch, instead-of-traffic)"
                    + " replaced the switch; the new version keeps serving");
            return RunStep.NEXT;
        }
        try {
            boolean wrote = services.switchBack();
            progress.accept("switched the active Service back to the previous version ("
                    + (wrote ? "1 write" : "already there") + ")");
        } catch (IllegalStateException never) {
            progress.accept("the active Service was never switched: it still serves the previous version");
        } catch (IOException e) {
            progress.accept("switching back failed: " + e.getMessage());
            if (++w.trafficBackFailures >= KubernetesRollout.TRAFFIC_BACK_ATTEMPTS) {
                throw new IOException("could not switch back after " + w.trafficBackFailures
                        + " attempts; the active Service's selector is UNKNOWN: " + e.getMessage(), e);
            }
            return RunStep.waitUntil(now.plus(KubernetesRollout.POLL));
        }
        return RunStep.NEXT;
    }


    /** Scales the workload to 0 unless it is there already (the replica-ratio router's 0% did it): no needless write. */
    void scaleToZero(ObjectKey workload, String what) throws IOException, InterruptedException {
        if (cluster.replicas(workload) == 0) {
            progress.accept(what + workload + " is already at 0 replicas");
            return;
        }
        cluster.scale(workload, 0);
        progress.accept(what + "scaled " + workload + " to 0");
    }


    /** At the first poll scales the workload up to {@code replicas} if it has fewer; then one readiness poll. */
    Readiness.Poll scaleUpAndPoll(RunWork w, ObjectKey workload, int replicas, Instant now)
            throws IOException, InterruptedException {
        if (w.readyBy == null && cluster.replicas(workload) < replicas) {
            cluster.scale(workload, replicas);
            progress.accept("scaled " + workload + " to " + replicas);
        }
        return poll(w, workload, now);
    }


    /** One readiness poll; the deadline starts at the first. */
    Readiness.Poll poll(RunWork w, ObjectKey workload, Instant now) throws IOException, InterruptedException {
        if (w.readyBy == null) {
            w.readyBy = now.plus(spec.progressDeadline());
        }
        return Readiness.check(cluster, workload, w.readyBy, spec.progressDeadline(), now);
    }
}
