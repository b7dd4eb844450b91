package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.ObjectKey;

/** A container whose image (and so digest) differs between live and target. */
public record ImageChange(ObjectKey workload, String container, String before, String after) {

    @Override
    public String toString() {
        return workload + "[" + container + "]: " + before + " -> " + after;
    }
}
