package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;

/**
 * One container a build put live: the image as the user gave it, and the digest it resolved to at
 * deploy time. A restore runs the digest; the tag is kept for people.
 */
public record DeployedWorkload(WorkloadRef workload, ImageRef image, Digest digest) {

    public DeployedWorkload {
        if (workload == null || image == null || digest == null) {
            throw new IllegalArgumentException("deployed workload needs workload, image and digest, got workload="
                    + workload + " image=" + image + " digest=" + digest);
        }
        if (image.digest() != null && !image.digest().equals(digest)) {
            throw new IllegalArgumentException("image of " + workload + " pins " + image.digest()
                    + " but the resolved digest is " + digest);
        }
    }
}
