package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import dev.rollbackdeploy.manifest.ManifestSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one deploying build put live, so that any later build can put exactly this back: the
 * images by digest, the canonical objects with their hashes, the strategy and what the gates saw.
 * Immutable and validated as a whole; {@link RecordCodec} writes it as versioned JSON.
 */
public record DeploymentRecord(
        int formatVersion,
        BuildInfo build,
        Target target,
        List<DeployedWorkload> workloads,
        ManifestSet manifests,
        StrategySpec strategy,
        List<GateEvidence> gateEvidence,
        Outcome outcome,
        Instant startedAt,
        Instant finishedAt) {

    /** The format this code writes, and the newest it reads. */
    public static final int CURRENT_FORMAT = 2;

    public DeploymentRecord {
        if (formatVersion < 1 || formatVersion > CURRENT_FORMAT) {
            throw new IllegalArgumentException("formatVersion must be 1.." + CURRENT_FORMAT + ", got " + formatVersion);
        }
        if (build == null || target == null || manifests == null || strategy == null || outcome == null) {
            throw new IllegalArgumentException("record needs build, target, manifests, strategy and outcome, got build="
                    + build + " target=" + target + " manifests=" + manifests + " strategy=" + strategy
                    + " outcome=" + outcome);
        }
        workloads = List.copyOf(nonNull("workloads", workloads));
        gateEvidence = List.copyOf(nonNull("gateEvidence", gateEvidence));
        Set<WorkloadRef> seen = new HashSet<>();
        for (DeployedWorkload workload : workloads) {
            if (!seen.add(workload.workload())) {
                throw new IllegalArgumentException("workloads must not repeat, got " + workload.workload() + " twice");
            }
            if (manifests.get(workload.workload().workload()).isEmpty()) {
                throw new IllegalArgumentException("workload " + workload.workload()
                        + " is not among the recorded manifests " + manifests.keys());
            }
        }
        if (startedAt == null || finishedAt == null) {
            throw new IllegalArgumentException("startedAt and finishedAt must be set, got startedAt=" + startedAt
                    + " finishedAt=" + finishedAt);
        }
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("finishedAt must not be before startedAt, got startedAt=" + startedAt
                    + " finishedAt=" + finishedAt);
        }
        if (build.ref().equals(outcome.restoredFrom())) {
            throw new IllegalArgumentException("outcome restoredFrom must be an earlier build, got the record's own build "
                    + build.ref());
        }
    }

    private static <T> List<T> nonNull(String field, List<T> list) {
        if (list == null || list.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(field + " must be a list without nulls, got " + list);
        }
        return list;
    }

    public BuildRef ref() {
        return build.ref();
    }

    public String targetKey() {
        return target.key();
    }
}
