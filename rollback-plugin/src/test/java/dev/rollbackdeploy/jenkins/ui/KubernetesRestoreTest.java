package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import dev.rollbackdeploy.jenkins.config.KubernetesClusterConfig;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.steps.KubernetesCanaryFixture;
import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.record.DeploymentRecord;
import hudson.model.Result;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Kubernetes records restored from inside Jenkins (JenkinsRule) on fabric8's mock API server (CRUD mode,
 * request log, the test-side controller moving Deployment status every 100 ms): Jenkins gets only a
 * kubeconfig in a secret-file credential and a configured cluster; {@code rollbackTo} and the "Roll back
 * to this build" page find the cluster from the record. The tests run in order, as a team would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesRestoreTest {

    private static final String TOKEN = "kube-bearer-3b8f0e6a91c4";
    private static final String TARGET = "shop-k8s";

    private static SharedJenkins j;
    private static FakeApiServer server;
    private static KubernetesClient client;
    private static ScheduledExecutorService controller;
    private static FakeRegistry registry;
    private static WorkflowJob deploy;
    private static DeploymentRecord first;
    private static DeploymentRecord second;

    @BeforeAll
    static void start() throws Throwable {
        registry = new FakeRegistry();
        KubernetesRecords.registry = registry.host();
        server = new FakeApiServer();
        client = server.client();
        // the records' namespace exists, as in a real cluster (a restore reads it before anything else)
        server.controllerClient().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName(KubernetesRecords.NAMESPACE).endMetadata().build()).create();
        controller = KubernetesCanaryFixture.controllers(server);
        j = SharedJenkins.start(KubernetesRestoreTest.class);
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, "kubeconfig", "fake cluster",
                "config", SecretBytes.fromBytes(KubernetesRecords.kubeconfig(server.url(), TOKEN)
                        .getBytes(StandardCharsets.UTF_8))));
        credentials.save();
        KubernetesClusterConfig cluster = new KubernetesClusterConfig(KubernetesRecords.CLUSTER, "kubeconfig");
        cluster.setContext(KubernetesRecords.CONTEXT);
        cluster.setNamespace(KubernetesRecords.NAMESPACE);
        RollbackConfiguration.get().setKubernetesClusters(List.of(cluster));

        deploy = j.createProject(WorkflowJob.class, "deploy");
        deploy.setDefinition(new CpsFlowDefinition("echo 'deployed'", true));
        first = KubernetesRecords.attach(j.buildAndAssertSuccess(deploy), TARGET, server.url(), '1', "hello");
        second = KubernetesRecords.attach(j.buildAndAssertSuccess(deploy), TARGET, server.url(), '2', "bonjour");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (j != null) {
                j.after();
            }
        } finally {
            if (controller != null) {
                controller.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    @Order(1)
    void rollbackToRestoresTheRecordedObjectsThroughTheConfiguredCluster() throws Exception {
        WorkflowRun run = restore("deploy#1");
        j.assertLogContains("writes=", run);
        assertThat(server.writes()).as("server-side applies of the three objects").hasSizeGreaterThanOrEqualTo(3);
        assertThat(KubernetesRecords.live(first, client)).as("live equals build 1's record").isTrue();
        Deployment shop = client.apps().deployments().inNamespace(KubernetesRecords.NAMESPACE).withName("shop").get();
        assertThat(shop.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(registry.host() + "/shop@sha256:" + "1".repeat(64));
        assertThat(client.configMaps().inNamespace(KubernetesRecords.NAMESPACE).withName("shop-config").get().getData())
                .containsEntry("greeting", "hello");
    }

    @Test
    @Order(2)
    void aSecondRollbackToMakesNoWrite() throws Exception {
        server.clearLog();
        WorkflowRun run = restore("deploy#1");
        j.assertLogContains("is already live: 0 writes", run);
        j.assertLogContains("writes=0", run);
        assertThat(server.writes()).isEmpty();
        assertThat(adapterRequests()).as("it did read the namespace").isNotEmpty();
    }

    @Test
    @Order(3)
    void theRollbackPageShowsTheDiffOfAKubernetesRecordAndWritesNothing() throws Exception {
        server.clearLog();
        HtmlPage page = j.createWebClient().goTo("job/deploy/2/rollback/");
        String html = page.getWebResponse().getContentAsString();
        assertThat(html).contains("rollback-diff", "rollback-confirm", "Deployment", "shop-config",
                "sha256:" + "2".repeat(64), "bonjour").doesNotContain("rollback-error");
        assertThat(server.writes()).isEmpty();

        String live = j.createWebClient().goTo("job/deploy/1/rollback/").getWebResponse().getContentAsString();
        assertThat(live).contains("rollback-already-live");
    }

    @Test
    @Order(4)
    void theButtonRestoresAKubernetesRecordOffTheHttpThread() throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.setRefreshHandler((page, url, seconds) -> { }); // the progress page refreshes itself while running
        HtmlPage confirm = wc.goTo("job/deploy/2/rollback/");
        HtmlPage progress = confirm.getHtmlElementById("rollback-confirm").getOneHtmlElementByAttribute("button", "type",
                "submit").click();
        String id = progress.getUrl().toString().replaceAll(".*/restore/([^/]+)/?$", "$1");
        RestoreRun restore = ActiveRestores.byId(id).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!restore.isFinished()) {
            assertThat(System.nanoTime()).as("restore finished within 60 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(restore.getState()).as(restore.getLog()).isEqualTo(RestoreRun.State.RESTORED);
        assertThat(registry.manifestChecks()).as("the recorded digest was checked first").isPositive();
        assertThat(restore.getWrites()).isPositive();
        assertThat(KubernetesRecords.live(second, client)).isTrue();
    }

    @Test
    @Order(5)
    void aRecordWhoseClusterIsNotConfiguredIsRefusedNamingWhatToConfigure() throws Exception {
        WorkflowRun other = j.buildAndAssertSuccess(deploy);
        KubernetesRecords.attach(other, "elsewhere", server.url(), '3', "hola");
        // the record names cluster 'fake-cluster', which is configured: make it unknown for this one test
        List<KubernetesClusterConfig> configured = RollbackConfiguration.get().getKubernetesClusters();
        RollbackConfiguration.get().setKubernetesClusters(List.of());
        try {
            server.clearLog();
            WorkflowJob job = restoreJob("deploy#" + other.getNumber());
            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
            j.assertLogContains("no Kubernetes cluster named 'fake-cluster' or 'elsewhere' is configured", run);
            assertThat(adapterRequests()).as("refused before the cluster is read").isEmpty();
        } finally {
            RollbackConfiguration.get().setKubernetesClusters(configured);
        }
    }

    /**
     * In JenkinsRule every library is on the test class path, so fabric8 is loaded by the application class
     * loader for every plugin: what can be shown here is that our plugin resolves the very class the
     * kubernetes-client-api plugin does (no second copy of ours). {@code KubernetesRestoreIT} shows in the real
     * Jenkins that it comes from that plugin's own jar.
     */
    @Test
    @Order(6)
    void ourPluginSeesTheSameFabric8AsTheKubernetesClientApiPlugin() throws Exception {
        ClassLoader ours = j.jenkins.getPluginManager().getPlugin("rollback-deploy").classLoader;
        ClassLoader api = j.jenkins.getPluginManager().getPlugin("kubernetes-client-api").classLoader;
        for (String name : List.of("io.fabric8.kubernetes.client.KubernetesClient", "okhttp3.OkHttpClient",
                "com.fasterxml.jackson.databind.ObjectMapper")) {
            Class<?> seenByUs = ours.loadClass(name);
            assertThat(seenByUs).as(name).isSameAs(api.loadClass(name));
            assertThat(seenByUs.getProtectionDomain().getCodeSource().getLocation().toString()).as(name)
                    .doesNotContain("rollback-plugin", "rollback-kubernetes");
        }
    }

    @Test
    @Order(7)
    void theTokenIsInNoLogBuildXmlRecordOrPage() throws Exception {
        List<String> pages = List.of("job/deploy/1/", "job/deploy/2/", "job/deploy/2/rollback/", "job/restore/1/console",
                "job/deploy/rollback-deployments/", "manage/configure");
        JenkinsRule.WebClient wc = j.createWebClient();
        for (String page : pages) {
            assertThat(wc.goTo(page).getWebResponse().getContentAsString()).as(page).doesNotContain(TOKEN);
        }
        Path home = j.jenkins.getRootDir().toPath();
        try (Stream<Path> files = Files.walk(home)) {
            List<Path> leaking = files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(home.resolve("plugins")) && !f.startsWith(home.resolve("war")))
                    .filter(f -> contains(f, TOKEN)).toList();
            assertThat(leaking).as("files under JENKINS_HOME holding the token in clear").isEmpty();
        }
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 1)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("rollback-kubeconfig")).toList())
                    .as("no temporary copy of the kubeconfig").isEmpty();
        }
    }

    /** What Jenkins asked the API server (the fake controllers' own requests left out). */
    private static List<FakeApiServer.Seen> adapterRequests() {
        return server.requests().stream().filter(r -> !"fake-controller".equals(r.userAgent())).toList();
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static WorkflowJob restoreJob(String build) throws Exception {
        WorkflowJob job = j.jenkins.getItemByFullName("restore", WorkflowJob.class);
        if (job == null) {
            job = j.createProject(WorkflowJob.class, "restore");
        }
        job.setDefinition(new CpsFlowDefinition("def r = rollbackTo '" + build + "'\necho \"writes=${r.writes}\"", true));
        return job;
    }

    private static WorkflowRun restore(String build) throws Exception {
        return j.buildAndAssertSuccess(restoreJob(build));
    }
}
