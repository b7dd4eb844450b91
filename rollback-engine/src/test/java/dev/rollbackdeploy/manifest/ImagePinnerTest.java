package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImagePinnerTest {

    private static final ManifestReader READER = new ManifestReader();
    private static final Digest APP = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest SIDECAR = Digest.parse("sha256:" + "b".repeat(64));
    private static final Digest OTHER = Digest.parse("sha256:" + "c".repeat(64));
    private static final Map<ImageRef, Digest> REGISTRY = Map.of(
            ImageRef.parse("ghcr.io/acme/web:1.4.2"), APP,
            ImageRef.parse("envoyproxy/envoy:v1.31"), SIDECAR);
    private static final String POD_SPEC = "{\"initContainers\": [{\"name\": \"migrate\", \"image\": \"ghcr.io/acme/web:1.4.2\"}],"
            + " \"containers\": [{\"name\": \"app\", \"image\": \"ghcr.io/acme/web:1.4.2\"},"
            + " {\"name\": \"proxy\", \"image\": \"envoyproxy/envoy:v1.31\"}]}";

    static Stream<Arguments> workloads() {
        return Stream.of(
                workload("Deployment", "apps/v1", "{\"template\": {\"spec\": %s}}"),
                workload("StatefulSet", "apps/v1", "{\"serviceName\": \"w\", \"template\": {\"spec\": %s}}"),
                workload("DaemonSet", "apps/v1", "{\"template\": {\"spec\": %s}}"),
                workload("ReplicaSet", "apps/v1", "{\"template\": {\"spec\": %s}}"),
                workload("Job", "batch/v1", "{\"template\": {\"spec\": %s}}"),
                workload("CronJob", "batch/v1", "{\"schedule\": \"@daily\", \"jobTemplate\": {\"spec\": {\"template\": {\"spec\": %s}}}}"),
                workload("Pod", "v1", "%s"),
                workload("Rollout", "argoproj.io/v1alpha1", "{\"strategy\": {\"canary\": {}}, \"template\": {\"spec\": %s}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void pinsEveryContainerOfEachWorkloadKindToItsDigest(String kind, String manifest) {
        ManifestSet tagged = READER.read(manifest);

        ManifestSet pinned = ImagePinner.pin(tagged, REGISTRY);

        ObjectKey key = ObjectKey.of(READER.read(manifest).objects().get(0).apiVersion(), kind, "shop", "w");
        assertThat(ImagePinner.images(pinned)).containsExactly(
                new ContainerImage(new WorkloadRef(key, "migrate"), ImageRef.parse("ghcr.io/acme/web:1.4.2@" + APP)),
                new ContainerImage(new WorkloadRef(key, "app"), ImageRef.parse("ghcr.io/acme/web:1.4.2@" + APP)),
                new ContainerImage(new WorkloadRef(key, "proxy"),
                        ImageRef.parse("docker.io/envoyproxy/envoy:v1.31@" + SIDECAR)));
        assertThat(pinned.get(key).orElseThrow().canonicalJson())
                .contains("\"image\":\"docker.io/envoyproxy/envoy:v1.31@" + SIDECAR + "\"");
        assertThat(pinned.get(key).orElseThrow().hash()).isNotEqualTo(tagged.get(key).orElseThrow().hash());
        assertThat(pinned.setHash()).isNotEqualTo(tagged.setHash());
    }

    @Test
    void pinsEphemeralContainersOfAPod() {
        ManifestSet pod = READER.read("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"},"
                + " \"spec\": {\"containers\": [], \"ephemeralContainers\": [{\"name\": \"debug\", \"image\": \"envoyproxy/envoy:v1.31\"}]}}");

        assertThat(ImagePinner.images(ImagePinner.pin(pod, REGISTRY))).extracting(ContainerImage::image)
                .containsExactly(ImageRef.parse("envoyproxy/envoy:v1.31@" + SIDECAR));
    }

    @Test
    void isIdempotentOnceEveryImageIsPinned() {
        ManifestSet pinned = ImagePinner.pin(READER.read(Fixtures.text("web.yaml")), REGISTRY);

        assertThat(ImagePinner.pin(pinned, REGISTRY).setHash()).isEqualTo(pinned.setHash());
    }

    @Test
    void leavesObjectsWithoutPodTemplatesAlone() {
        ManifestSet set = READER.read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n"
                + "---\napiVersion: acme.io/v1\nkind: Deployment\nmetadata: {name: d}\n"
                + "spec: {image: nginx, template: {containers: [{name: x, image: nginx}]}}\n");

        assertThat(ImagePinner.pin(set, Map.of())).isEqualTo(set);
        assertThat(ImagePinner.images(set)).isEmpty();
    }

    @Test
    void pinsEveryPodTemplateInsideCustomResources() {
        // Argo Rollouts' AnalysisTemplate runs each job metric as a pod template (issue 9, item 13).
        ManifestSet set = READER.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: smoke, namespace: shop}
                spec:
                  metrics:
                  - name: smoke
                    provider:
                      job:
                        spec:
                          template:
                            spec:
                              containers: [{name: main, image: "ghcr.io/acme/web:1.4.2"}]
                  - name: proxy
                    provider:
                      job:
                        spec:
                          template:
                            spec:
                              initContainers: [{name: main, image: "envoyproxy/envoy:v1.31"}]
                ---
                apiVersion: acme.io/v1
                kind: Deployment
                metadata: {name: d, namespace: shop}
                spec: {template: {spec: {containers: [{name: x, image: "envoyproxy/envoy:v1.31"}]}}}
                """);

        ManifestSet pinned = ImagePinner.pin(set, REGISTRY);

        ObjectKey analysis = new ObjectKey("argoproj.io", "AnalysisTemplate", "shop", "smoke");
        ObjectKey custom = new ObjectKey("acme.io", "Deployment", "shop", "d");
        String job = "spec.metrics[%d].provider.job.spec.template.spec";
        assertThat(ImagePinner.images(pinned)).containsExactly(
                new ContainerImage(new WorkloadRef(analysis, job.formatted(0), "main"),
                        ImageRef.parse("ghcr.io/acme/web:1.4.2@" + APP)),
                new ContainerImage(new WorkloadRef(analysis, job.formatted(1), "main"),
                        ImageRef.parse("docker.io/envoyproxy/envoy:v1.31@" + SIDECAR)),
                new ContainerImage(new WorkloadRef(custom, "x"),
                        ImageRef.parse("docker.io/envoyproxy/envoy:v1.31@" + SIDECAR)));
        assertThat(pinned.get(analysis).orElseThrow().canonicalJson())
                .contains("\"image\":\"ghcr.io/acme/web:1.4.2@" + APP + "\"")
                .doesNotContain("\"image\":\"ghcr.io/acme/web:1.4.2\"");
    }

    @Test
    void failsNamingObjectContainerAndImageWhenTheResolverCannotAnswer() {
        ManifestSet set = READER.read(Fixtures.text("web.yaml"));

        assertThatThrownBy(() -> ImagePinner.pin(set, Map.of()))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll("Deployment.apps/shop/web[app]", "'ghcr.io/acme/web:1.4.2'", "not resolved");
    }

    @Test
    void failsWhenAnImageIsPinnedToAnotherDigestThanItsTagResolvesTo() {
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("web:1.4.2", "web:1.4.2@" + OTHER));

        assertThatThrownBy(() -> ImagePinner.pin(set, REGISTRY))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll("Deployment.apps/shop/web[app]", "pinned to " + OTHER,
                        "ghcr.io/acme/web:1.4.2 resolves to " + APP);
    }

    @Test
    void acceptsAnImageAlreadyPinnedToTheDigestItsTagResolvesTo() {
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("web:1.4.2", "web:1.4.2@" + APP));

        assertThat(ImagePinner.images(ImagePinner.pin(set, REGISTRY))).extracting(ContainerImage::image)
                .containsExactly(ImageRef.parse("ghcr.io/acme/web:1.4.2@" + APP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedAsWritten")
    void aTableOfTagsKeepsAnImagePinnedInTheManifestsThatItDoesNotList(String written) {
        // `record --digests` and a Kubernetes spec's digests file list only what the manifests leave unpinned.
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("ghcr.io/acme/web:1.4.2", written));

        assertThat(ImagePinner.images(ImagePinner.pin(set, Map.of()))).extracting(ContainerImage::image)
                .containsExactly(ImageRef.parse(written));
    }

    static Stream<Arguments> pinnedAsWritten() {
        return Stream.of(Arguments.of("ghcr.io/acme/web@" + OTHER), Arguments.of("ghcr.io/acme/web:1.4.2@" + OTHER));
    }

    @Test
    void aTableOfTagsStillRefusesAWrittenPinThatContradictsIt() {
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("web:1.4.2", "web:1.4.2@" + OTHER));

        assertThatThrownBy(() -> ImagePinner.pin(set, REGISTRY)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("pinned to " + OTHER);
    }

    @Test
    void asksTheResolverAboutADigestOnlyImageAsWritten() {
        ImageRef digestOnly = ImageRef.parse("ghcr.io/acme/web@" + APP);
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("web:1.4.2", "web@" + APP));

        ManifestSet pinned = ImagePinner.pin(set, image -> image.equals(digestOnly) ? APP : null);

        assertThat(ImagePinner.images(pinned)).extracting(ContainerImage::image).containsExactly(digestOnly);
    }

    @Test
    void failsNamingTheContainerWhenAnImageIsNotAReference() {
        ManifestSet set = READER.read(Fixtures.text("web.yaml").replace("ghcr.io/acme/web:1.4.2", "Not An Image"));

        assertThatThrownBy(() -> ImagePinner.images(set))
                .isInstanceOf(ManifestException.class)
                .hasMessageContainingAll("Deployment.apps/shop/web containers[0] 'app'", "'Not An Image'");
    }

    @Test
    void listsImagesAsWrittenBeforePinning() {
        List<ContainerImage> images = ImagePinner.images(READER.read(Fixtures.text("web.yaml")));

        assertThat(images).containsExactly(new ContainerImage(
                new WorkloadRef(new ObjectKey("apps", "Deployment", "shop", "web"), "app"),
                ImageRef.parse("ghcr.io/acme/web:1.4.2")));
    }

    private static Arguments workload(String kind, String apiVersion, String specTemplate) {
        String manifest = "{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"" + kind + "\","
                + " \"metadata\": {\"name\": \"w\", \"namespace\": \"shop\"}, \"spec\": "
                + specTemplate.formatted(POD_SPEC) + "}";
        return Arguments.of(kind, manifest);
    }
}
