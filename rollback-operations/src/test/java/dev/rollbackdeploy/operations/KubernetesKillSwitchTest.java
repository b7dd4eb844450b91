package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalFlagWebhook;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch on a Kubernetes canary through the front door: the fake API server with its controllers,
 * a real Prometheus scraping a faulty canary (the gate rolls back), and an in-house flag service (a webhook
 * store served by the test). The flag service and the API server add to one event list as requests arrive,
 * which proves the order of the flag's switch and the HTTPRoute's (or blue-green's active Service's) writes.
 * The promotion runs first, while the canary is good; every later release here is faulty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesKillSwitchTest {

    private static final String OLD = KubernetesShop.OLD;
    private static final String NEW = KubernetesShop.NEW;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private static WorkloadCounters metrics;
    private static LocalPrometheus prometheus;

    @TempDir
    Path dir;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private KubernetesShop shop;
    private FakeApiServer server;
    private KubernetesClient client;
    private LocalFlagWebhook flagService;

    @BeforeAll
    static void startPrometheus() throws Exception {
        metrics = new WorkloadCounters();
        metrics.serve("shop", "web", 0.005);
        metrics.serve("shop", "web-canary", 0.005); // good for the promotion, which runs first; then faulty
        metrics.serve("shop", "bg-green", 0.4); // a faulty blue-green release: switched, then the after-switch gate fails
        prometheus = LocalPrometheus.scraping(metrics.port());
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.close();
        metrics.close();
    }

    @BeforeEach
    void previousBuildIsLive() throws Exception {
        // Never answers in place of the store: only notes each route write, in order with the flag service's switches.
        shop = KubernetesShop.start(dir, fake -> fake.failNext(r -> {
            if (WRITES.contains(r.getMethod()) && r.getPath().contains("/httproutes/")) {
                events.add("route " + r.getMethod());
            } else if (WRITES.contains(r.getMethod()) && r.getPath().matches(".*/services/bg(\\?.*)?")) {
                events.add("service " + r.getMethod());
            }
            return false;
        }, new MockResponse().setResponseCode(500)));
        server = shop.server;
        client = shop.client;
        flagService = new LocalFlagWebhook(events);
        flagService.set("new-checkout", true);
    }

    @AfterEach
    void stop() throws Exception {
        flagService.close();
        shop.close();
    }

    @Test
    @Order(1)
    void aPromotionLeavesTheFlagsAsTheyAreAndRecordsTheirStates() throws Exception {
        Deployment.Finished finished = deploy("instead-of-traffic", List.of("new-checkout"));
        metrics.serve("shop", "web-canary", 0.4); // every later canary here is faulty

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.PROMOTED);
        assertThat(events).as("no flag switched; the promotion's own route writes (50, 100, back to the rolled stable)")
                .containsOnly("route PATCH");
        assertThat(flagService.enabled("new-checkout")).isTrue();
        assertThat(image("web")).isEqualTo(NEW);
        assertThat(canaryShare()).isEqualTo(Weight.NONE);
        assertThat(stored().safety().flagsJson().orElseThrow().toString())
                .contains("{\"enabled\":true,\"flag\":\"new-checkout\"}").doesNotContain("before");
    }

    @Test
    @Order(2)
    void beforeTrafficTheFlagGoesOffBeforeTheRouteWriteThatPutsTheCanaryAtZero() throws Exception {
        Deployment.Finished finished = deploy("before-traffic", List.of("new-checkout"));

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.ABORTED);
        assertThat(events).as("the canary's 50 %, the flag off, then the route back to stable")
                .containsExactly("route PATCH", "flag new-checkout off", "route PATCH");
        assertThat(canaryShare()).isEqualTo(Weight.NONE);
        assertThat(replicas("web-canary")).isZero();
        assertThat(flagService.enabled("new-checkout")).isFalse();
        DeploymentRecord record = stored();
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"new-checkout\"}");
    }

    @Test
    @Order(3)
    void insteadOfTrafficTheFlagGoesOffAndTheRouteAndTheCanaryAreLeftAlone() throws Exception {
        Deployment.Finished finished = deploy("instead-of-traffic", List.of("new-checkout"));

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.ABORTED);
        assertThat(events).as("the canary's 50 %, the flag off, and no route write after it")
                .containsExactly("route PATCH", "flag new-checkout off");
        assertThat(canaryShare()).isEqualTo(Weight.of(50));
        assertThat(replicas("web-canary")).as("the canary keeps its pods: it still serves").isPositive();
        assertThat(flagService.enabled("new-checkout")).isFalse();
        DeploymentRecord record = stored();
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.outcome().reason()).contains("the gate said roll back", "INSTEAD of moving traffic",
                "still carries 50%");
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"new-checkout\"}");
    }

    @Test
    @Order(4)
    void blueGreenBeforeTrafficTheFlagGoesOffBeforeTheServiceIsSwitchedBack() throws Exception {
        Deployment.Finished finished = deployBlueGreen("before-traffic");

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.ROLLED_BACK);
        assertThat(events).containsExactly("service PATCH", "flag new-checkout off", "service PATCH");
        assertThat(activeSlot()).isEqualTo("blue");
        assertThat(flagService.enabled("new-checkout")).isFalse();
    }

    @Test
    @Order(5)
    void blueGreenInsteadOfTrafficTheFlagGoesOffAndTheActiveServiceStaysOnTheNewVersion() throws Exception {
        Deployment.Finished finished = deployBlueGreen("instead-of-traffic");

        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.ABORTED);
        assertThat(events).containsExactly("service PATCH", "flag new-checkout off");
        assertThat(activeSlot()).isEqualTo("green");
        assertThat(flagService.enabled("new-checkout")).isFalse();
        DeploymentRecord record = stored();
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.outcome().reason()).contains("INSTEAD of moving traffic", "the active Service still selects",
                "slot=green");
    }

    @Test
    @Order(6)
    void aMissingFlagRefusesTheDeployAtTheDoorWithNoApiWrite() throws Exception {
        try (Deployment deployment = Deployment.of(spec(), context()).withSafety(safety("before-traffic",
                List.of("new-checkout", "no-such-flag")))) {
            assertThatThrownBy(deployment::begin).isInstanceOfSatisfying(OperationException.class,
                    e -> assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID))
                    .hasMessageContaining("flag 'no-such-flag' does not exist").hasMessageContaining("nothing was changed");
        }

        assertThat(server.writes()).as("no API write, not even the Lease").isEmpty();
        assertThat(flagService.enabled("new-checkout")).isTrue();
        assertThat(dir.resolve("locks")).doesNotExist();
    }

    private Deployment.Finished deploy(String mode, List<String> flags) throws Exception {
        try (Deployment deployment = Deployment.of(spec(), context()).withSafety(safety(mode, flags))) {
            return deployment.runToEnd(state -> { });
        }
    }

    /** Blue live, green the faulty release: switched, the after-switch gate fails inside the warm window. */
    private Deployment.Finished deployBlueGreen(String mode) throws Exception {
        DeploymentSpec spec = shop.blueGreen(prometheus.baseUrl(), "20s");
        events.clear();
        try (Deployment deployment = Deployment.of(spec, context()).withSafety(safety(mode, List.of("new-checkout")))) {
            return deployment.runToEnd(state -> { });
        }
    }

    private String activeSlot() {
        return shop.activeSlot();
    }

    private String image(String deployment) {
        return shop.image(deployment);
    }

    private DeploySafety safety(String mode, List<String> flags) throws InvalidSpecException {
        return new SafetyFields().flags("webhook", flagService.url(), null, null, null, flags).flagsMode(mode)
                .toSafety("test");
    }

    private DeploymentSpec spec() throws InvalidSpecException {
        return shop.canary("shop#43", prometheus.baseUrl());
    }

    private OperationContext context() {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), lines::add);
    }

    private int replicas(String deployment) {
        return shop.replicas(deployment);
    }

    private Weight canaryShare() throws Exception {
        return shop.canaryShare();
    }

    private DeploymentRecord stored() throws Exception {
        return context().records().load(BuildRef.parse("shop#43"));
    }
}
