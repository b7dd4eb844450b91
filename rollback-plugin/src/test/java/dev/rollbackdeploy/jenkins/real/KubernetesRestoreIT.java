package dev.rollbackdeploy.jenkins.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.jenkins.steps.KubernetesCanaryFixture;
import dev.rollbackdeploy.jenkins.ui.KubernetesRecords;
import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged .hpi in the real Jenkins restores Kubernetes records on fabric8's mock API server (CRUD mode,
 * request log, the test-side controller every 100 ms), given only a kubeconfig as a secret-file credential and
 * a configured cluster; the fabric8 it runs is the kubernetes-client-api plugin's own, not a bundled copy.
 * On the same Jenkins a Pipeline job (created over REST) renders the manifests into its workspace and runs
 * {@code canaryDeploy} on that cluster, gated by a real Prometheus scraping a per-Deployment counter: a healthy
 * build is promoted, a faulty one rolled back (route to stable before the canary scales down) and failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesRestoreIT {

    private static final String TOKEN = "kube-bearer-d41c7a09e2f5";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);

    private static final String FAULTY = "registry.example/web:1.2@sha256:" + "c".repeat(64);

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.standard();

    private static WorkloadCounters metrics;
    private static LocalPrometheus prometheus;
    private static FakeApiServer server;
    private static KubernetesClient client;
    private static ScheduledExecutorService controller;
    private static FileRecordStore store;
    private static DeploymentRecord first;

    @BeforeAll
    static void environment() throws Exception {
        server = new FakeApiServer();
        client = server.client();
        // the records' namespace exists, as in a real cluster (a restore reads it before anything else)
        server.controllerClient().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName(KubernetesRecords.NAMESPACE).endMetadata().build()).create();
        controller = KubernetesCanaryFixture.controllers(server);
        // what the canaryDeploy tests' gate reads: a per-Deployment request counter scraped every second
        metrics = new WorkloadCounters();
        metrics.serve(KubernetesRecords.NAMESPACE, "web", 0.005);
        metrics.serve(KubernetesRecords.NAMESPACE, "web-canary", 0.005);
        prometheus = LocalPrometheus.scraping(metrics.port());
        String script = String.join("\n",
                "import com.cloudbees.plugins.credentials.CredentialsScope",
                "import com.cloudbees.plugins.credentials.SecretBytes",
                "import com.cloudbees.plugins.credentials.SystemCredentialsProvider",
                "import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl",
                "import dev.rollbackdeploy.jenkins.config.*",
                "def store = SystemCredentialsProvider.getInstance()",
                "store.getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, 'kubeconfig', 'fake cluster', "
                        + "'config', SecretBytes.fromBytes('''" + KubernetesRecords.kubeconfig(server.url(), TOKEN)
                        + "'''.getBytes('UTF-8'))))",
                "store.save()",
                "def k = new KubernetesClusterConfig('" + KubernetesRecords.CLUSTER + "', 'kubeconfig')",
                "k.context = '" + KubernetesRecords.CONTEXT + "'",
                "k.namespace = '" + KubernetesRecords.NAMESPACE + "'",
                "RollbackConfiguration.get().kubernetesClusters = [k]",
                "def p = new PrometheusEndpoint('local', '" + prometheus.baseUrl() + "')",
                "p.scrapeIntervalSeconds = 1",
                "RollbackConfiguration.get().prometheusEndpoints = [p]",
                "println 'configured ' + RollbackConfiguration.get().kubernetesClusters.size()");
        JenkinsRest.Response r = JENKINS.admin().post("scriptText", null,
                "script=" + URLEncoder.encode(script, StandardCharsets.UTF_8));
        assertThat(r.body()).as(r.body()).contains("configured 1");
        // what a Kubernetes canaryDeploy of job "deploy" would have recorded, in the controller's store
        store = new FileRecordStore(JENKINS.home().resolve("rollback-deploy").resolve("records"));
        first = KubernetesRecords.of(BuildRef.parse("k8s-deploy#1"), "shop-k8s", server.url(), '1', "hello");
        store.save(first);
        store.save(KubernetesRecords.of(BuildRef.parse("k8s-deploy#2"), "shop-k8s", server.url(), '2', "bonjour"));
    }

    @AfterAll
    static void closeEnvironment() {
        if (controller != null) {
            controller.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    @Order(1)
    void rollbackToRestoresTheRecordThenASecondOneMakesNoWrite() throws Exception {
        JENKINS.admin().createPipeline("k8s-restore", "def r = rollbackTo 'k8s-deploy#1'\necho \"writes=${r.writes}\"");
        String console = run("k8s-restore");
        assertThat(console).contains("restored k8s-deploy#1", "through kubeconfig credentials 'kubeconfig' context fake");
        assertThat(server.writes()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(KubernetesRecords.live(first, store, client)).as("live equals build 1's record").isTrue();

        server.clearLog();
        String again = run("k8s-restore");
        assertThat(again).contains("k8s-deploy#1 is already live: 0 writes", "writes=0");
        assertThat(server.writes()).isEmpty();
    }

    @Test
    @Order(2)
    void theFabric8OurCodeLinksToIsTheKubernetesClientApiPlugins() throws Exception {
        String script = String.join("\n",
                "def pm = jenkins.model.Jenkins.get().pluginManager",
                "def ours = pm.getPlugin('rollback-deploy').classLoader",
                // the KubernetesClient class exactly as our own code links to it
                "def c = ours.loadClass('dev.rollbackdeploy.kubernetes.KubernetesClients')"
                        + ".getMethod('forServer', java.net.URI, String, String).returnType",
                "println 'class=' + c.name",
                "println 'location=' + c.protectionDomain.codeSource.location",
                "println 'apiLoader=' + c.classLoader.is(pm.getPlugin('kubernetes-client-api').classLoader)",
                "println 'ourCopy=' + (ours.findResource('io/fabric8/kubernetes/client/KubernetesClient.class') != null)");
        String out = JENKINS.admin().post("scriptText", null, "script=" + URLEncoder.encode(script, StandardCharsets.UTF_8))
                .body();
        System.out.println(out);
        assertThat(out).contains("class=io.fabric8.kubernetes.client.KubernetesClient", "apiLoader=true", "ourCopy=false");
        assertThat(out.lines().filter(l -> l.startsWith("location=")).findFirst().orElseThrow())
                .contains("/plugins/kubernetes-client-api/WEB-INF/lib/");
    }

    @Test
    @Order(3)
    void aHealthyCanaryDeployIsPromotedStableOnTheNewTemplateCanaryAtZeroRouteAllOnStable() throws Exception {
        KubernetesCanaryFixture.applyLive(client, KubernetesCanaryFixture.OLD);
        JENKINS.admin().createPipeline("web", KubernetesCanaryFixture.pipeline("web-k8s", KubernetesCanaryFixture.NEW));

        String console = run("web");

        assertThat(console).contains("status=PROMOTED", "recorded web#1 as PROMOTED");
        assertThat(KubernetesCanaryFixture.image(client, "web")).isEqualTo(KubernetesCanaryFixture.NEW);
        assertThat(KubernetesCanaryFixture.replicas(client, "web")).isEqualTo(4);
        assertThat(KubernetesCanaryFixture.replicas(client, "web-canary")).isZero();
        assertAllTrafficOnStable();
    }

    @Test
    @Order(4)
    void aFaultyCanaryIsRolledBackRouteToStableBeforeTheCanaryScalesDownAndTheBuildFailsWithTheGatesReason()
            throws Exception {
        JENKINS.admin().createPipeline("web", KubernetesCanaryFixture.pipeline("web-k8s", FAULTY));
        server.clearLog();
        metrics.serve(KubernetesRecords.NAMESPACE, "web-canary", 0.5);
        try {
            int build = JENKINS.admin().startBuild("web", BUILD_TIMEOUT);
            String result = JENKINS.admin().awaitResult("web", build, BUILD_TIMEOUT);
            String console = JENKINS.admin().console("web", build);
            System.out.println(console);
            System.out.println("writes: " + writes());

            assertThat(result).as(console).isEqualTo("FAILURE");
            assertThat(console).contains("ERROR: canaryDeploy ABORTED: the gate said roll back",
                    "canary error rate is above baseline").doesNotContain("status=");
        } finally {
            metrics.serve(KubernetesRecords.NAMESPACE, "web-canary", 0.005);
        }
        List<String> writes = writes();
        assertThat(writes).as("the canary was scaled up and given traffic").contains("PATCH deployments/web-canary")
                .contains("PATCH httproutes/web").doesNotContain("PATCH deployments/web");
        assertThat(writes.lastIndexOf("PATCH httproutes/web")).as("traffic back on stable before the canary scales down: "
                + writes).isLessThan(writes.lastIndexOf("PATCH deployments/web-canary"));
        assertAllTrafficOnStable();
        assertThat(KubernetesCanaryFixture.image(client, "web")).as("stable still on the promoted build")
                .isEqualTo(KubernetesCanaryFixture.NEW);
        assertThat(KubernetesCanaryFixture.replicas(client, "web-canary")).isZero();
    }

    @Test
    @Order(5)
    void theTokenIsInNoConsoleLogBuildXmlRecordOrPage() throws Exception {
        for (String path : List.of("job/k8s-restore/1/consoleText", "job/k8s-restore/2/consoleText", "job/k8s-restore/1/",
                "job/web/1/consoleText", "job/web/2/consoleText", "job/web/2/",
                "manage/configure", "credentials/")) {
            assertThat(JENKINS.admin().get(path).body()).as(path).doesNotContain(TOKEN);
        }
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(JENKINS.home())) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(JENKINS.home().resolve("plugins")) && !p.startsWith(JENKINS.home().resolve("war")))
                    .forEach(files::add);
        }
        assertThat(files).as("build.xml, logs, records").anyMatch(p -> p.toString().endsWith("build.xml"))
                .anyMatch(p -> p.toString().contains("rollback-deploy"));
        for (Path file : files) {
            assertThat(contains(file, TOKEN)).as(file.toString()).isFalse();
        }
    }

    private static String run(String job) throws Exception {
        int build = JENKINS.admin().startBuild(job, BUILD_TIMEOUT);
        String result = JENKINS.admin().awaitResult(job, build, BUILD_TIMEOUT);
        String console = JENKINS.admin().console(job, build);
        System.out.println(console);
        assertThat(result).as(console).isEqualTo("SUCCESS");
        return console;
    }

    /** The route sends to stable and nothing to the canary (a backend left out gets nothing, one at weight 0 too). */
    private static void assertAllTrafficOnStable() {
        Map<String, Integer> weights = routeWeights();
        assertThat(weights).as("route weights").hasEntrySatisfying("web", w -> assertThat(w).isPositive());
        assertThat(weights.getOrDefault("web-canary", 0)).as("canary weight in " + weights).isZero();
    }

    /** The HTTPRoute's backends and their weights (Gateway API's default weight is 1). */
    @SuppressWarnings("unchecked")
    private static Map<String, Integer> routeWeights() {
        GenericKubernetesResource route = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
                .inNamespace(KubernetesRecords.NAMESPACE).withName("web").get();
        Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
        Map<String, Integer> weights = new HashMap<>();
        for (Map<String, Object> rule : rules) {
            for (Map<String, Object> backend : (List<Map<String, Object>>) rule.get("backendRefs")) {
                Object weight = backend.getOrDefault("weight", 1);
                weights.merge((String) backend.get("name"), ((Number) weight).intValue(), Integer::sum);
            }
        }
        return weights;
    }

    /** The adapter's writes as "PATCH deployments/web-canary", in order. */
    private static List<String> writes() {
        return server.writes().stream().map(w -> w.method() + " "
                + w.path().replaceAll("\\?.*", "").replaceAll(".*/namespaces/" + KubernetesRecords.NAMESPACE + "/", ""))
                .toList();
    }

    private static boolean contains(Path file, String text) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }
}
