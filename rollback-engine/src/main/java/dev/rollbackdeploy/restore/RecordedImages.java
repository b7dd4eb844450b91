package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.ContainerImage;
import dev.rollbackdeploy.manifest.ImagePinner;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The images a restore of a record would make the kubelet pull, each pinned to its digest. */
final class RecordedImages {

    private RecordedImages() {
    }

    /**
     * The workloads' resolved images first, then any digest-pinned image of the recorded manifests
     * that no workload names (a pinned sidecar is pulled just the same). One entry per repository and
     * digest: two tags of one manifest are one pull.
     */
    static List<ImageRef> of(DeploymentRecord record) {
        Map<String, ImageRef> byDigest = new LinkedHashMap<>();
        for (DeployedWorkload workload : record.workloads()) {
            ImageRef pinned = workload.image().withDigest(workload.digest());
            byDigest.putIfAbsent(pinned.name() + "@" + pinned.digest(), pinned);
        }
        for (ContainerImage container : ImagePinner.images(record.manifests())) {
            ImageRef image = container.image();
            if (image.digest() != null) {
                byDigest.putIfAbsent(image.name() + "@" + image.digest(), image);
            }
        }
        return new ArrayList<>(byDigest.values());
    }
}
