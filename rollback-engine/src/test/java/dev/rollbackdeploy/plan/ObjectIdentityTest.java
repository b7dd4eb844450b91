package dev.rollbackdeploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import org.junit.jupiter.api.Test;

/** Identity is group + kind + namespace + name in reads, plans and diffs (issue 9, item 10). */
class ObjectIdentityTest {

    private static final ManifestReader READER = new ManifestReader();
    private static final String ISTIO = "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
            + "metadata: {name: web, namespace: shop}\nspec: {selector: {istio: ingressgateway}}\n";
    private static final String GATEWAY_API = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            + "metadata: {name: web, namespace: shop}\nspec: {gatewayClassName: eg}\n";

    @Test
    void sameKindAndNameInTwoApiGroupsAreTwoObjects() {
        ManifestSet set = READER.read(ISTIO + "---\n" + GATEWAY_API);

        assertThat(set.keys()).containsExactly(new ObjectKey("gateway.networking.k8s.io", "Gateway", "shop", "web"),
                new ObjectKey("networking.istio.io", "Gateway", "shop", "web"));
    }

    @Test
    void aChangeOfApiGroupIsPlannedAsANewObjectAndPrunesTheOldOne() {
        ManifestSet live = READER.read(ISTIO);
        ManifestSet target = READER.read(GATEWAY_API);

        Plan plan = new RestorePlanner().plan(target, LiveState.of(live), new RestoreOptions(true, false));

        assertThat(plan.actions()).extracting(a -> a.describe().replaceAll(" \\(.*", "")).containsExactly(
                "apply Gateway.gateway.networking.k8s.io/shop/web",
                "delete Gateway.networking.istio.io/shop/web");
        assertThat(plan.render()).contains("+ Gateway.gateway.networking.k8s.io/shop/web")
                .contains("- Gateway.networking.istio.io/shop/web");
    }

    @Test
    void aGroupTheApiServerServesTheSameObjectUnderIsOneObject() {
        ManifestSet legacy = READER.read("apiVersion: extensions/v1beta1\nkind: Deployment\n"
                + "metadata: {name: web, namespace: shop}\nspec: {replicas: 1}\n");
        ManifestSet current = READER.read("apiVersion: apps/v1\nkind: Deployment\n"
                + "metadata: {name: web, namespace: shop}\nspec: {replicas: 1}\n");

        Plan plan = new RestorePlanner().plan(current, LiveState.of(legacy), new RestoreOptions(true, false));

        assertThat(legacy.keys()).isEqualTo(current.keys());
        assertThat(plan.actions()).extracting(Action::describe).noneMatch(a -> a.startsWith("delete"));
    }

    @Test
    void aCustomResourceNamedLikeAWorkloadIsAppliedWithoutWaitingForPods() {
        ManifestSet target = ManifestSet.of(java.util.List.of(
                Objects.object("acme.io/v1", "Deployment", "web", java.util.Map.of("spec", java.util.Map.of()))));

        Plan plan = new RestorePlanner().plan(target, LiveState.of(ManifestSet.empty()), RestoreOptions.SAFE);

        assertThat(plan.actions()).extracting(a -> a.describe().replaceAll(" \\(.*", ""))
                .containsExactly("apply Deployment.acme.io/shop/web");
    }
}
