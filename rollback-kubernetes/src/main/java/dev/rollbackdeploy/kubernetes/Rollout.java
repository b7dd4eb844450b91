package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Reads a workload's status the way {@code kubectl rollout status} does: the controller has seen the
 * latest spec (observedGeneration), every replica runs the new template, and all are available.
 * Pure: takes the object as the API server returned it.
 */
final class Rollout {

    private Rollout() {
    }

    /** Whether the current template is fully rolled out and available. */
    static boolean isComplete(JsonNode workload) {
        JsonNode spec = workload.path("spec");
        JsonNode status = workload.path("status");
        long generation = workload.path("metadata").path("generation").asLong(0);
        if (status.path("observedGeneration").asLong(-1) < generation) {
            return false;
        }
        String kind = workload.path("kind").asText();
        switch (kind) {
            case "Deployment" -> {
                int replicas = spec.path("replicas").asInt(1);
                return status.path("updatedReplicas").asInt(0) == replicas
                        && status.path("replicas").asInt(0) == replicas
                        && status.path("availableReplicas").asInt(0) == replicas;
            }
            case "StatefulSet" -> {
                int replicas = spec.path("replicas").asInt(1);
                String current = status.path("currentRevision").asText("");
                String update = status.path("updateRevision").asText("");
                return status.path("updatedReplicas").asInt(0) == replicas
                        && status.path("readyReplicas").asInt(0) == replicas
                        && (current.isEmpty() || current.equals(update));
            }
            case "DaemonSet" -> {
                int desired = status.path("desiredNumberScheduled").asInt(0);
                return status.path("updatedNumberScheduled").asInt(0) == desired
                        && status.path("numberAvailable").asInt(0) == desired;
            }
            default -> {
                return true;
            }
        }
    }

    /** The Deployment controller gave up: condition Progressing=False, reason ProgressDeadlineExceeded. */
    static Optional<String> deadlineExceeded(JsonNode workload) {
        for (JsonNode condition : workload.path("status").path("conditions")) {
            if ("Progressing".equals(condition.path("type").asText()) && "False".equals(condition.path("status").asText())
                    && "ProgressDeadlineExceeded".equals(condition.path("reason").asText())) {
                return Optional.of("ProgressDeadlineExceeded: " + condition.path("message").asText("no progress"));
            }
        }
        return Optional.empty();
    }
}
