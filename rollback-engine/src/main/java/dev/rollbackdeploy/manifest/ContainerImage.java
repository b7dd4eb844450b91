package dev.rollbackdeploy.manifest;

import dev.rollbackdeploy.image.ImageRef;

/** One container of one workload and the image it runs, as the manifest names it. */
public record ContainerImage(WorkloadRef workload, ImageRef image) {

    public ContainerImage {
        if (workload == null || image == null) {
            throw new IllegalArgumentException("container image needs workload and image, got workload=" + workload
                    + " image=" + image);
        }
    }
}
