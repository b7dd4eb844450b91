package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds pods that will not become ready without a change to the manifest or the cluster, so a
 * rollout fails with the pod's own reason instead of timing out minutes later. Pure.
 */
final class PodProblems {

    /** Waiting reasons that never resolve by themselves. */
    private static final Set<String> HOPELESS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");

    private PodProblems() {
    }

    /**
     * The first problem among these pods, in pod-name order so the answer is stable.
     *
     * @param crashLoopRestarts restarts after which CrashLoopBackOff counts as failed (a slow start
     *                          may crash once or twice before its dependencies are up)
     */
    static Optional<String> first(List<JsonNode> pods, int crashLoopRestarts) {
        List<JsonNode> sorted = pods.stream()
                .sorted(Comparator.comparing((JsonNode p) -> p.path("metadata").path("name").asText()))
                .toList();
        for (JsonNode pod : sorted) {
            Optional<String> problem = of(pod, crashLoopRestarts);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> of(JsonNode pod, int crashLoopRestarts) {
        String name = pod.path("metadata").path("name").asText();
        JsonNode status = pod.path("status");
        for (String field : List.of("initContainerStatuses", "containerStatuses")) {
            for (JsonNode container : status.path(field)) {
                JsonNode waiting = container.path("state").path("waiting");
                String reason = waiting.path("reason").asText("");
                boolean crashLooping = reason.equals("CrashLoopBackOff")
                        && container.path("restartCount").asInt(0) >= crashLoopRestarts;
                if (HOPELESS.contains(reason) || crashLooping) {
                    String message = waiting.path("message").asText("");
                    return Optional.of("pod " + name + " container " + container.path("name").asText() + ": " + reason
                            + (crashLooping ? " after " + container.path("restartCount").asInt() + " restarts" : "")
                            + (message.isEmpty() ? "" : " (" + message + ")"));
                }
            }
        }
        for (JsonNode condition : status.path("conditions")) {
            if ("PodScheduled".equals(condition.path("type").asText()) && "False".equals(condition.path("status").asText())
                    && "Unschedulable".equals(condition.path("reason").asText())) {
                String message = condition.path("message").asText("");
                return Optional.of("pod " + name + ": Unschedulable" + (message.isEmpty() ? "" : " (" + message + ")"));
            }
        }
        return Optional.empty();
    }
}
