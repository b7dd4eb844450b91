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

    /** One poll's answer. */
    sealed interface Poll {
        record Ready() implements Poll {
        }

        /** Why it will not become ready: the pod's reason, or the deadline. */
        record Broken(String reason) implements Poll {
        }

        record NotYet() implements Poll {
        }
    }

    /** One poll at {@code now}; past {@code giveUpAt} a workload not ready yet is broken (the deadline). */
    static Poll check(KubernetesCluster cluster, ObjectKey workload, Instant giveUpAt, Duration deadline, Instant now)
            throws IOException, InterruptedException {
        try {
            if (cluster.isReady(workload)) {
                return new Poll.Ready();
            }
        } catch (Cluster.WorkloadFailedException e) {
            return new Poll.Broken(e.getMessage());
        }
        if (!now.isBefore(giveUpAt)) {
            return new Poll.Broken(workload + " was not ready within the progress deadline " + deadline);
        }
        return new Poll.NotYet();
    }

    /**
     * Polls every {@link KubernetesRollout#POLL} until ready or {@code deadline} passed.
     *
     * @return empty when ready; else why it will not be (the pod's reason, or the deadline)
     */
    static Optional<String> await(KubernetesCluster cluster, ObjectKey workload, Duration deadline, Clock clock,
            Pause waiter) throws IOException, InterruptedException {
        Instant giveUp = clock.instant().plus(deadline);
        while (true) {
            Poll poll = check(cluster, workload, giveUp, deadline, clock.instant());
            if (poll instanceof Poll.Ready) {
                return Optional.empty();
            }
            if (poll instanceof Poll.Broken broken) {
                return Optional.of(broken.reason());
            }
            waiter.sleep(KubernetesRollout.POLL);
        }
    }
}
