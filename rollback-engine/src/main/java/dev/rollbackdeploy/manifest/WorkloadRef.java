package dev.rollbackdeploy.manifest;

import java.util.regex.Pattern;

/**
 * One container of one workload: where an image runs.
 *
 * @param podSpec   "" for the object's own pod template (where every built-in workload keeps it),
 *                  else the path of the pod spec in the object, e.g.
 *                  {@code spec.metrics[0].provider.job.spec.template.spec} of an AnalysisTemplate
 * @param container the container's name
 */
public record WorkloadRef(ObjectKey workload, String podSpec, String container) {

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public WorkloadRef {
        if (workload == null) {
            throw new IllegalArgumentException("workload must not be null");
        }
        if (podSpec == null || podSpec.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("pod spec path of " + workload + " must be a path or empty, got "
                    + (podSpec == null ? "null" : "'" + podSpec + "'"));
        }
        if (container == null || !CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("container name of " + workload
                    + " must be a DNS label (lowercase, digits, '-', at most 63), got '" + container + "'");
        }
    }

    /** A container of the object's own pod template. */
    public WorkloadRef(ObjectKey workload, String container) {
        this(workload, "", container);
    }

    @Override
    public String toString() {
        return workload + (podSpec.isEmpty() ? "" : " " + podSpec) + "[" + container + "]";
    }
}
