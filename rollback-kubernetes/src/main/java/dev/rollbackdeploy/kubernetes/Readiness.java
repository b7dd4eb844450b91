package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waiting until a workload is ready, polled every {@link KubernetesRollout#POLL} up to a deadline;
 * shared by the rollout and its promotion.
 */
final class Readiness {

    /** How the caller waits between polls (the rollout's renews its lease; so it may fail with an IOException). */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws IOException, InterruptedException;
    }

    private Readiness() {
    }

    /**
     * @return empty when ready; else why it will not be (the pod's reason, or the deadline)
     */
    static Optional<String> await(KubernetesCluster cluster, ObjectKey workload, Duration deadline, Clock clock,
            Pause waiter) throws IOException, InterruptedException {
        Instant giveUp = clock.instant().plus(deadline);
        while (true) {
            try {
                if (cluster.isReady(workload)) {
                    return Optional.empty();
                }
            } catch (Cluster.WorkloadFailedException e) {
                return Optional.of(e.getMessage());
            }
            if (!clock.instant().isBefore(giveUp)) {
                return Optional.of(workload + " was not ready within the progress deadline " + deadline);
            }
            waiter.sleep(KubernetesRollout.POLL);
        }
    }
}
