package dev.rollbackdeploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaRatioTrafficRouterTest {

    private FakeApiServer server;
    private KubernetesClient client;
    private KubernetesClient controllerClient;
    private ReplicaRatioTrafficRouter router;

    @BeforeEach
    void start() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        controllerClient = server.controllerClient();
        KubernetesCluster cluster = new KubernetesCluster(client, "shop", BuildRef.parse("team/shop#42"));
        cluster.apply(Manifests.deployment("web", "registry.example/web:1.0", 4));
        cluster.apply(Manifests.deployment("web-canary", "registry.example/web:1.1", 0));
        router = new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 4,
                new Retrying(3, Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5, d -> { }));
        server.clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        controllerClient.close();
        server.close();
    }

    private int replicas(String name) {
        return controllerClient.apps().deployments().inNamespace("shop").withName(name).get().getSpec().getReplicas();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        none                       | 0   | 0 | 0
        a little still gets a pod  | 10  | 1 | 25
        exactly a quarter          | 25  | 1 | 25
        half                       | 50  | 2 | 50
        nearest share              | 60  | 2 | 50
        almost all keeps stable    | 99  | 3 | 75
        all                        | 100 | 4 | 100
        """)
    void setsTheNearestShareTheReplicaCountAllows(String row, int asked, int canaryPods, int inForce) throws Exception {
        router.setCanaryWeight(Weight.of(asked));

        assertThat(replicas("web-canary")).isEqualTo(canaryPods);
        assertThat(replicas("web")).isEqualTo(4 - canaryPods);
        assertThat(router.canaryWeight()).isEqualTo(Weight.of(inForce));
    }

    @Test
    void settingTheShareInForceWritesNothing() throws Exception {
        router.setCanaryWeight(Weight.of(50));
        assertThat(server.writes()).hasSize(2);
        server.clearLog();

        router.setCanaryWeight(Weight.of(50));
        router.setCanaryWeight(Weight.of(45));

        assertThat(server.writes()).isEmpty();
    }

    @Test
    void refusesSplitsThatCannotWork() {
        assertThatThrownBy(() -> new ReplicaRatioTrafficRouter(client, "shop", "web", "web-canary", 1, Retrying.standard()))
                .hasMessage("total replicas must be 2 or more to split traffic, got 1");
        ReplicaRatioTrafficRouter missing = new ReplicaRatioTrafficRouter(client, "shop", "web", "nope", 4,
                Retrying.standard());
        assertThatThrownBy(missing::canaryWeight).isInstanceOf(IOException.class)
                .hasMessage("Deployment shop/nope does not exist");
    }
}
