package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.WorkloadRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.image.ImageRef;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentRecordTest {

    private static final BuildRef BUILD = new BuildRef("team/shop", 42);
    private static final URI URL = URI.create("https://ci.example.com/job/shop/42/");

    static Stream<Arguments> badInput() {
        DeploymentRecord good = Records.record("team/shop", 42);
        return Stream.of(
                row("ftp build url", () -> new BuildInfo(BUILD, URI.create("ftp://ci.example.com/x"), "alice"),
                        "build url", "ftp://ci.example.com/x"),
                row("relative build url", () -> new BuildInfo(BUILD, URI.create("/job/x"), "alice"),
                        "build url", "/job/x"),
                row("blank actor", () -> new BuildInfo(BUILD, URL, " "), "build actor", "' '"),
                row("bad namespace", () -> new Target.Kubernetes("prod", "c", URL, "Shop_NS", "kube"),
                        "kubernetes namespace", "Shop_NS"),
                row("credentials id with spaces", () -> new Target.Kubernetes("prod", "c", URL, "shop", "Bearer abc"),
                        "credentialsId", "Bearer abc"),
                row("no haproxy endpoints", () -> new Target.HAProxy("lb", List.of(), "shop", "lb-creds"),
                        "haproxy endpoints", "[]"),
                row("repeated haproxy endpoint", () -> new Target.HAProxy("lb",
                        List.of(URI.create("http://lb1:5555"), URI.create("http://lb1:5555")), "shop", "lb-creds"),
                        "must not repeat", "http://lb1:5555"),
                row("image digest disagrees", () -> new DeployedWorkload(new WorkloadRef(Records.WEB, "app"),
                        ImageRef.parse("ghcr.io/acme/web@" + Records.digestOf("a")), Records.digestOf("b")),
                        "resolved digest", Records.digestOf("b").toString()),
                row("null strategy parameter", () -> new StrategySpec(StrategyKind.CANARY, nullValued()),
                        "strategy parameter 'steps'", "null"),
                row("aborted without reason", () -> Outcome.aborted(""), "ABORTED needs a reason", "''"),
                row("rolled back from nowhere", () -> new Outcome(Outcome.Status.ROLLED_BACK, "gate failed", null),
                        "ROLLED_BACK", "restored"),
                row("evidence not an object", () -> new GateEvidence("[1,2]"), "gate evidence", "[1,2]"),
                row("format version 3", () -> with(good, 3, good.startedAt(), good.finishedAt()), "formatVersion",
                        "got 3"),
                row("finished before started", () -> with(good, 1, good.startedAt(),
                        good.startedAt().minusSeconds(1)), "finishedAt", good.startedAt().minusSeconds(1).toString()),
                row("restores itself", () -> new DeploymentRecord(1, good.build(), good.target(), good.workloads(),
                        good.manifests(), good.strategy(), good.gateEvidence(),
                        Outcome.rolledBack("gate failed", good.ref()), good.startedAt(), good.finishedAt()),
                        "restoredFrom", good.ref().toString()),
                row("workload not in manifests", () -> new DeploymentRecord(1, good.build(), good.target(),
                        List.of(new DeployedWorkload(new WorkloadRef(new dev.rollbackdeploy.manifest.ObjectKey(
                                "apps", "Deployment", "shop", "api"), "app"), ImageRef.parse("api:1"), Records.digestOf("x"))),
                        good.manifests(), good.strategy(), good.gateEvidence(), good.outcome(), good.startedAt(),
                        good.finishedAt()), "workload Deployment.apps/shop/api[app]", "not among"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void refusesBadInputNamingFieldAndValue(Supplier<Object> construction, String field, String value) {
        assertThatThrownBy(construction::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field)
                .hasMessageContaining(value);
    }

    @Test
    void neverQuotesUserInfoOfARefusedUrl() {
        assertThatThrownBy(() -> new BuildInfo(BUILD, URI.create("https://bob:s3cret@ci.example.com/"), "alice"))
                .hasMessageContaining("user info")
                .hasMessageContaining("***@ci.example.com")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void keepsEvidenceImmutableWhenTheSourceTreeChanges() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("verdict", "PASS");
        GateEvidence evidence = GateEvidence.of(tree);
        tree.put("verdict", "FAIL");
        evidence.json().withObject("/extra").put("x", 1);

        assertThat(evidence.canonicalJson()).isEqualTo("{\"verdict\":\"PASS\"}");
    }

    @Test
    void copiesListsAndMapsSoCallersCannotChangeARecord() {
        Map<String, String> parameters = new HashMap<>(Map.of("steps", "10,100"));
        StrategySpec strategy = new StrategySpec(StrategyKind.CANARY, parameters);
        parameters.put("steps", "100");

        assertThat(strategy.parameters()).containsEntry("steps", "10,100");
        assertThatThrownBy(() -> strategy.parameters().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Records.record("a", 1).workloads().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Map<String, String> nullValued() {
        Map<String, String> map = new HashMap<>();
        map.put("steps", null);
        return map;
    }

    private static DeploymentRecord with(DeploymentRecord r, int version, Instant started, Instant finished) {
        return new DeploymentRecord(version, r.build(), r.target(), r.workloads(), r.manifests(), r.strategy(),
                r.gateEvidence(), r.outcome(), started, finished);
    }

    private static Arguments row(String name, Supplier<Object> construction, String field, String value) {
        return Arguments.of(Named.of(name, construction), field, value);
    }
}
