package dev.rollbackdeploy.manifest;

import java.util.regex.Pattern;

/** One container of one workload: where an image runs. */
public record WorkloadRef(ObjectKey workload, String container) {

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public WorkloadRef {
        if (workload == null) {
            throw new IllegalArgumentException("workload must not be null");
        }
        if (container == null || !CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("container name of " + workload
                    + " must be a DNS label (lowercase, digits, '-', at most 63), got '" + container + "'");
        }
    }

    @Override
    public String toString() {
        return workload + "[" + container + "]";
    }
}
