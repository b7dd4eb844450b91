package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.manifest.WorkloadRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records written before the API group was part of an object's identity stay readable (issue 9, item 10). */
class RecordFormatsTest {

    private final RecordCodec codec = new RecordCodec();

    @Test
    void readsAFormat1RecordGivingEachWorkloadTheGroupOfItsObject() throws IOException {
        // Written by the code of main at 0793388, before format 2.
        byte[] written = fixture("format1-team-shop-42.json");

        DeploymentRecord read = codec.decode(written, "format1.json");

        assertThat(read.formatVersion()).isEqualTo(1);
        assertThat(read.workloads()).extracting(DeployedWorkload::workload)
                .containsExactly(new WorkloadRef(new ObjectKey("apps", "Deployment", "shop", "web"), "app"));
        assertThat(read.manifests().setHash()).isEqualTo(Records.record("team/shop", 42).manifests().setHash());
        assertThat(codec.encode(read)).isEqualTo(written);
    }

    @Test
    void recordsTwoObjectsThatDifferOnlyInApiGroup() throws IOException {
        DeploymentRecord base = Records.record("team/shop", 43);
        List<CanonicalObject> objects = new ArrayList<>(base.manifests().objects());
        objects.add(gateway("networking.istio.io/v1"));
        objects.add(gateway("gateway.networking.k8s.io/v1"));
        DeploymentRecord record = new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, base.build(), base.target(),
                base.workloads(), ManifestSet.of(objects), base.strategy(), base.gateEvidence(), base.outcome(),
                base.startedAt(), base.finishedAt());

        DeploymentRecord read = codec.decode(codec.encode(record), "two-gateways.json");

        assertThat(read.manifests().keys()).contains(new ObjectKey("networking.istio.io", "Gateway", "shop", "web"),
                new ObjectKey("gateway.networking.k8s.io", "Gateway", "shop", "web"));
        assertThat(read).isEqualTo(record);
    }

    @Test
    void format1CannotHoldAContainerOutsideTheObjectsOwnPodTemplate() {
        DeploymentRecord base = Records.record("team/shop", 44);
        DeployedWorkload job = base.workloads().get(0);
        DeploymentRecord record = new DeploymentRecord(1, base.build(), base.target(),
                List.of(new DeployedWorkload(new WorkloadRef(job.workload().workload(), "spec.extra.template.spec", "app"),
                        job.image(), job.digest())),
                base.manifests(), base.strategy(), base.gateEvidence(), base.outcome(), base.startedAt(), base.finishedAt());

        assertThatThrownBy(() -> codec.encode(record)).hasMessageContainingAll("format 1", "format 2");
    }

    private static CanonicalObject gateway(String apiVersion) {
        return CanonicalObject.of(ObjectKey.of(apiVersion, "Gateway", "shop", "web"), apiVersion, "{\"apiVersion\":\""
                + apiVersion + "\",\"kind\":\"Gateway\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"}}");
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = RecordFormatsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
