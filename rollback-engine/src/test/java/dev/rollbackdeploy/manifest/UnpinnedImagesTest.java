package dev.rollbackdeploy.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Image fields no pod template holds are named, never silently recorded by tag (issue 9, item 13). */
class UnpinnedImagesTest {

    private static final ManifestReader READER = new ManifestReader();

    @Test
    void namesImageFieldsOutsidePodTemplatesAndSkipsPinnedOnesAndConfigData() {
        ManifestSet set = READER.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: build, namespace: ci}
                spec:
                  templates:
                  - name: test
                    container: {image: "alpine:3.20", command: [sh]}
                  - name: pinned
                    container: {image: "alpine@sha256:%s"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: ci}
                data: {image: "nginx:1"}
                """.formatted("a".repeat(64)));

        assertThat(UnpinnedImages.of(set)).containsExactly(
                "Workflow.argoproj.io/ci/build spec.templates[0].container.image = alpine:3.20");
    }
}
