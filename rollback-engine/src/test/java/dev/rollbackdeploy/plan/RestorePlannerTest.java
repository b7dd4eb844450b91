package dev.rollbackdeploy.plan;

import static dev.rollbackdeploy.plan.Objects.configMap;
import static dev.rollbackdeploy.plan.Objects.deployment;
import static dev.rollbackdeploy.plan.Objects.secret;
import static dev.rollbackdeploy.plan.Objects.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.traffic.Weight;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestorePlannerTest {

    private static final String V1 = "ghcr.io/acme/shop:v1@sha256:" + "1".repeat(64);
    private static final String V2 = "ghcr.io/acme/shop:v2@sha256:" + "2".repeat(64);

    private static final ManifestSet TARGET = set(
            deployment("web", V1, 3, "web"), configMap("web-config", Map.of("mode", "safe")), service("web", null));

    private final RestorePlanner planner = new RestorePlanner();

    static Stream<Arguments> rows() {
        return Stream.of(
                row("already matching: empty plan", TARGET, RestoreOptions.SAFE, List.of(), ""),
                row("image differs: apply the workload and wait",
                        set(deployment("web", V2, 3, "web"), configMap("web-config", Map.of("mode", "safe")), service("web", null)),
                        RestoreOptions.SAFE,
                        List.of("apply Deployment.apps/shop/web", "wait until Deployment.apps/shop/web is ready"),
                        "Deployment.apps/shop/web[web]: " + V2 + " -> " + V1),
                row("config differs: apply the ConfigMap only",
                        set(deployment("web", V1, 3, "web"), configMap("web-config", Map.of("mode", "fast")), service("web", null)),
                        RestoreOptions.SAFE, List.of("apply ConfigMap/shop/web-config"), "data.mode: \"fast\" -> \"safe\""),
                row("object missing live: create it",
                        set(deployment("web", V1, 3, "web"), service("web", null)),
                        RestoreOptions.SAFE, List.of("apply ConfigMap/shop/web-config"), "+ ConfigMap/shop/web-config"),
                row("extra object live: kept without prune",
                        set(deployment("web", V1, 3, "web"), configMap("web-config", Map.of("mode", "safe")), service("web", null),
                                configMap("new-flags", Map.of("x", "1"))),
                        RestoreOptions.SAFE, List.of(), "- ConfigMap/shop/new-flags"),
                row("extra object live: deleted with prune",
                        set(deployment("web", V1, 3, "web"), configMap("web-config", Map.of("mode", "safe")), service("web", null),
                                configMap("new-flags", Map.of("x", "1"))),
                        new RestoreOptions(true, false), List.of("delete ConfigMap/shop/new-flags"), "- ConfigMap/shop/new-flags"),
                row("replicas only: one scale write",
                        set(deployment("web", V1, 5, "web"), configMap("web-config", Map.of("mode", "safe")), service("web", null)),
                        RestoreOptions.SAFE, List.of("scale Deployment.apps/shop/web to 3", "wait until Deployment.apps/shop/web is ready"),
                        "spec.replicas: 5 -> 3"),
                row("selector changed, recreate allowed: delete then apply",
                        set(deployment("web", V1, 3, "web-v2"), configMap("web-config", Map.of("mode", "safe")), service("web", null)),
                        new RestoreOptions(false, true),
                        List.of("delete Deployment.apps/shop/web", "apply Deployment.apps/shop/web", "wait until Deployment.apps/shop/web is ready"),
                        "spec.selector.matchLabels.app"));
    }

    private static Arguments row(String name, ManifestSet live, RestoreOptions options, List<String> actions, String inDiff) {
        return Arguments.of(name, live, options, actions, inDiff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansTheSmallestStepsToTheTarget(String name, ManifestSet live, RestoreOptions options, List<String> actions,
            String inDiff) {
        Plan plan = planner.plan(TARGET, LiveState.of(live), options);

        assertThat(plan.actions()).extracting(a -> a.describe().replaceAll(" \\(.*", "")).containsExactlyElementsOf(actions);
        assertThat(plan.isExecutable()).isTrue();
        assertThat(plan.render()).contains(inDiff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void secondRestoreMakesNoWrites(String name, ManifestSet live, RestoreOptions options, List<String> actions,
            String inDiff) throws Exception {
        InMemoryTarget target = new InMemoryTarget(live, Optional.empty());
        target.execute(planner.plan(TARGET, target.observe(), options));
        int afterFirst = target.writes();

        Plan second = planner.plan(TARGET, target.observe(), options);
        target.execute(second);

        assertThat(second.actions()).isEmpty();
        assertThat(target.writes()).isEqualTo(afterFirst);
        assertThat(target.objects()).containsAll(TARGET.objects());
        if (options.prune()) {
            assertThat(ManifestSet.of(target.objects()).setHash()).isEqualTo(TARGET.setHash());
        }
    }

    @Test
    void immutableSelectorChangeIsRefusedUnlessAllowed() {
        ManifestSet live = set(deployment("web", V1, 3, "web-v2"), configMap("web-config", Map.of("mode", "safe")),
                service("web", null));

        Plan plan = planner.plan(TARGET, LiveState.of(live), RestoreOptions.SAFE);

        assertThat(plan.isExecutable()).isFalse();
        assertThat(plan.refusals()).singleElement().asString()
                .contains("recreate needed: Deployment.apps/shop/web").contains("spec.selector").contains("allow-recreate");
        assertThatThrownBy(plan::requireExecutable).isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("recreate needed");
    }

    @Test
    void changedClusterIpNeedsRecreateButAServerAssignedOneDoesNot() {
        ManifestSet target = set(service("web", "10.0.0.10"));

        assertThat(planner.plan(target, LiveState.of(set(service("web", "10.0.0.99"))), RestoreOptions.SAFE).refusals())
                .singleElement().asString().contains("Service/shop/web").contains("spec.clusterIP");
        assertThat(planner.plan(set(service("web", null)), LiveState.of(set(service("web", "10.0.0.99"))),
                RestoreOptions.SAFE).refusals()).isEmpty();
    }

    @Test
    void immutableConfigMapDataChangeIsRefused() {
        CanonicalObject live = Objects.object("v1", "ConfigMap", "frozen", Map.of("data", Map.of("a", "1"), "immutable", true));
        CanonicalObject wanted = Objects.object("v1", "ConfigMap", "frozen", Map.of("data", Map.of("a", "2"), "immutable", true));

        Plan plan = planner.plan(set(wanted), LiveState.of(set(live)), RestoreOptions.SAFE);

        assertThat(plan.refusals()).singleElement().asString().contains("ConfigMap/shop/frozen").contains("data.a");
    }

    @Test
    void trafficLeavesTheCanaryBeforeAnyOtherWrite() {
        ManifestSet live = set(deployment("web", V2, 3, "web"), service("web", null));

        Plan plan = planner.plan(TARGET, new LiveState(live, Optional.of(Weight.of(25))), RestoreOptions.SAFE);

        assertThat(plan.actions().get(0)).isEqualTo(new Action.SetTrafficWeight(Weight.NONE));
        assertThat(plan.actions()).hasSizeGreaterThan(1);
    }

    @Test
    void configComesBeforeWorkloadsAndRoutesLast() {
        CanonicalObject route = Objects.object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", Map.of("spec", Map.of()));
        ManifestSet target = set(route, deployment("web", V1, 3, "web"), configMap("web-config", Map.of("mode", "safe")));

        Plan plan = planner.plan(target, LiveState.of(ManifestSet.empty()), RestoreOptions.SAFE);

        assertThat(plan.actions()).extracting(a -> a.describe().replaceAll(" \\(.*", "")).containsExactly(
                "apply ConfigMap/shop/web-config", "apply Deployment.apps/shop/web", "wait until Deployment.apps/shop/web is ready",
                "apply HTTPRoute.gateway.networking.k8s.io/shop/web");
    }

    @Test
    void secretValuesNeverReachTheDiff() {
        Plan plan = planner.plan(set(secret("db", Map.of("password", "aHVudGVyMg=="))),
                LiveState.of(set(secret("db", Map.of("password", "c3dvcmRmaXNo")))), RestoreOptions.SAFE);

        assertThat(plan.render()).contains("data.password: (hidden) -> (hidden)")
                .doesNotContain("aHVudGVyMg==").doesNotContain("c3dvcmRmaXNo");
    }

    private static ManifestSet set(CanonicalObject... objects) {
        return ManifestSet.of(List.of(objects));
    }
}
