package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LiveObjectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String fixture(String name) throws IOException {
        try (InputStream in = LiveObjectsTest.class.getResourceAsStream("/live/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLiveDeploymentAsARealServerReturnsItCanonicalisesToItsManifest() throws Exception {
        CanonicalObject live = LiveObjects.canonical(fixture("deployment-after-server-side-apply.json"));

        CanonicalObject manifest = Manifests.deployment("web", "registry.example/web:1.0", 2);
        assertThat(live.canonicalJson()).isEqualTo(manifest.canonicalJson());
        assertThat(live.hash()).isEqualTo(manifest.hash());
        assertThat(live.key()).isEqualTo(manifest.key());
    }

    @Test
    void withoutAnEntryForOurManagerTheWholeObjectIsComparedMinusServerFields() throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(fixture("deployment-after-server-side-apply.json"));
        ((ObjectNode) node.get("metadata")).remove("managedFields");

        JsonNode canonical = JSON.readTree(LiveObjects.canonical(node.toString()).canonicalJson());

        assertThat(canonical.path("spec").has("strategy")).isTrue();
        assertThat(canonical.has("status")).isFalse();
        assertThat(canonical.path("metadata").has("resourceVersion")).isFalse();
        assertThat(canonical.path("metadata").has("uid")).isFalse();
        assertThat(canonical.path("metadata").path("annotations").fieldNames()).toIterable()
                .containsExactly("deployment.kubernetes.io/revision");
        assertThat(canonical.path("metadata").path("labels").has("app.kubernetes.io/managed-by")).isFalse();
    }

    static Stream<Arguments> projections() {
        return Stream.of(
                Arguments.of("map fields keep only owned keys",
                        "{\"a\":1,\"b\":{\"c\":2,\"d\":3}}", "{\"f:b\":{\"f:c\":{}}}", "{\"b\":{\"c\":2}}"),
                Arguments.of("an empty set owns the whole value (atomic)",
                        "{\"sel\":{\"matchLabels\":{\"x\":\"y\"}}}", "{\"f:sel\":{}}", "{\"sel\":{\"matchLabels\":{\"x\":\"y\"}}}"),
                Arguments.of("list items by key, others dropped",
                        "{\"c\":[{\"name\":\"web\",\"image\":\"i\",\"pull\":\"p\"},{\"name\":\"side\",\"image\":\"s\"}]}",
                        "{\"f:c\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}",
                        "{\"c\":[{\"image\":\"i\",\"name\":\"web\"}]}"),
                Arguments.of("compound keys with numbers",
                        "{\"p\":[{\"containerPort\":80,\"protocol\":\"TCP\"},{\"containerPort\":81,\"protocol\":\"UDP\"}]}",
                        "{\"f:p\":{\"k:{\\\"containerPort\\\":81,\\\"protocol\\\":\\\"UDP\\\"}\":{\"f:containerPort\":{}}}}",
                        "{\"p\":[{\"containerPort\":81}]}"),
                Arguments.of("set items by value",
                        "{\"fin\":[\"a\",\"b\",\"c\"]}", "{\"f:fin\":{\"v:\\\"c\\\"\":{},\"v:\\\"a\\\"\":{}}}",
                        "{\"fin\":[\"a\",\"c\"]}"),
                Arguments.of("a field another manager took is gone",
                        "{\"spec\":{\"replicas\":7,\"paused\":false}}", "{\"f:spec\":{\"f:paused\":{}}}",
                        "{\"spec\":{\"paused\":false}}"),
                Arguments.of("owned but absent fields stay absent",
                        "{\"spec\":{}}", "{\"f:spec\":{\"f:replicas\":{}}}", "{\"spec\":{}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projections")
    void projectsLiveObjectsOntoOwnedFields(String row, String live, String owned, String expected) throws Exception {
        ObjectNode liveNode = (ObjectNode) JSON.readTree(live);
        liveNode.put("apiVersion", "v1").put("kind", "Thing").putObject("metadata").put("name", "n");

        ObjectNode projected = ManagedFields.project(liveNode, (ObjectNode) JSON.readTree(owned));

        ObjectNode want = (ObjectNode) JSON.readTree(expected);
        want.put("apiVersion", "v1").put("kind", "Thing").putObject("metadata").put("name", "n");
        assertThat(projected).isEqualTo(want);
    }

    @Test
    void entriesOfOurManagerAreUnitedAndOthersIgnored() throws Exception {
        JsonNode object = JSON.readTree("{\"metadata\":{\"managedFields\":["
                + "{\"manager\":\"rollback-deploy\",\"operation\":\"Apply\",\"fieldsV1\":{\"f:data\":{\"f:a\":{}}}},"
                + "{\"manager\":\"rollback-deploy\",\"operation\":\"Update\",\"fieldsV1\":{\"f:data\":{\"f:b\":{}}}},"
                + "{\"manager\":\"kubectl-edit\",\"operation\":\"Update\",\"fieldsV1\":{\"f:data\":{\"f:c\":{}}}}]}}");

        JsonNode owned = ManagedFields.ownedBy(object, "rollback-deploy").orElseThrow();

        assertThat(owned).isEqualTo(JSON.valueToTree(Map.of("f:data", Map.of("f:a", Map.of(), "f:b", Map.of()))));
        assertThat(ManagedFields.ownedBy(object, "helm")).isEmpty();
    }
}
