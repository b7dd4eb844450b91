package dev.rollbackdeploy.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import dev.rollbackdeploy.jenkins.config.KubernetesClusterConfig;
import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.ui.ControllerRecords;
import dev.rollbackdeploy.jenkins.ui.KubernetesRecords;
import dev.rollbackdeploy.jenkins.ui.SharedJenkins;
import dev.rollbackdeploy.kubernetes.FakeApiServer;
import dev.rollbackdeploy.kubernetes.WorkloadCounters;
import dev.rollbackdeploy.local.LocalPrometheus;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.Target;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code canaryDeploy cluster: …} in a Pipeline (JenkinsRule) on fabric8's mock API server with the test-side
 * controller, gated by a real Prometheus (rollback-local's) scraping a per-Deployment request counter this test
 * serves: the manifests are rendered into the workspace, Jenkins has only the kubeconfig as a secret-file
 * credential and a configured cluster; a good build is promoted and its record names the configured cluster.
 */
class KubernetesCanaryDeployTest {

    private static final String TOKEN = "kube-bearer-0c9e27d4a61b";
    private static SharedJenkins j;
    private static WorkloadCounters metrics;
    private static LocalPrometheus prometheus;
    private static FakeApiServer server;
    private static KubernetesClient client;
    private static ScheduledExecutorService controller;

    @BeforeAll
    static void start() throws Throwable {
        metrics = new WorkloadCounters();
        metrics.serve(KubernetesRecords.NAMESPACE, "web", 0.005);
        metrics.serve(KubernetesRecords.NAMESPACE, "web-canary", 0.005);
        prometheus = LocalPrometheus.scraping(metrics.port());
        server = new FakeApiServer();
        client = server.client();
        server.controllerClient().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName(KubernetesRecords.NAMESPACE).endMetadata().build()).create();
        // the previous build is live
        KubernetesCanaryFixture.applyLive(client, KubernetesCanaryFixture.OLD);
        controller = KubernetesCanaryFixture.controllers(server);

        j = SharedJenkins.start(KubernetesCanaryDeployTest.class);
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, "kubeconfig", "fake cluster",
                "config", SecretBytes.fromBytes(KubernetesRecords.kubeconfig(server.url(), TOKEN)
                        .getBytes(StandardCharsets.UTF_8))));
        credentials.save();
        KubernetesClusterConfig cluster = new KubernetesClusterConfig(KubernetesRecords.CLUSTER, "kubeconfig");
        cluster.setContext(KubernetesRecords.CONTEXT);
        cluster.setNamespace(KubernetesRecords.NAMESPACE);
        RollbackConfiguration.get().setKubernetesClusters(List.of(cluster));
        PrometheusEndpoint local = new PrometheusEndpoint("local", prometheus.baseUrl());
        local.setScrapeIntervalSeconds(1);
        RollbackConfiguration.get().setPrometheusEndpoints(List.of(local));
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
            if (prometheus != null) {
                prometheus.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    @Test
    void aGoodBuildIsPromotedWithStableOnTheNewTemplateAndTheCanaryAtZero() throws Exception {
        WorkflowJob shop = j.createProject(WorkflowJob.class, "shop");
        shop.setDefinition(new CpsFlowDefinition(KubernetesCanaryFixture.pipeline("shop-k8s", KubernetesCanaryFixture.NEW),
                true));
        WorkflowRun run = j.buildAndAssertSuccess(shop);
        j.assertLogContains("status=PROMOTED", run);

        assertThat(KubernetesCanaryFixture.image(client, "web")).isEqualTo(KubernetesCanaryFixture.NEW);
        assertThat(KubernetesCanaryFixture.replicas(client, "web")).isEqualTo(4);
        assertThat(KubernetesCanaryFixture.replicas(client, "web-canary")).isZero();
        DeploymentRecord record = ControllerRecords.store().load(BuildRef.parse("shop#1"));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.PROMOTED);
        assertThat(((Target.Kubernetes) record.target()).cluster()).as("the configured cluster's name, for restores")
                .isEqualTo(KubernetesRecords.CLUSTER);
        assertThat(record.targetKey()).isEqualTo("shop-k8s");

        // the record it wrote is restorable from Jenkins, and it is what is live: 0 writes
        server.clearLog();
        WorkflowJob restore = j.createProject(WorkflowJob.class, "restore");
        restore.setDefinition(new CpsFlowDefinition("def r = rollbackTo 'shop#1'\necho \"writes=${r.writes}\"", true));
        j.assertLogContains("writes=0", j.buildAndAssertSuccess(restore));
        assertThat(server.writes()).isEmpty();
        j.assertLogNotContains(TOKEN, run);
    }
}
