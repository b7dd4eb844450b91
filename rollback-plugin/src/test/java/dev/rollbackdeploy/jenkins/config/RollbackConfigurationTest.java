package dev.rollbackdeploy.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.jenkins.ui.SharedJenkins;
import hudson.PluginWrapper;
import hudson.util.FormValidation;
import hudson.util.Secret;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The global configuration in one JenkinsRule Jenkins (security on: {@code admin} administers, {@code reader} reads):
 * it loads, renders and round-trips through the System page without a secret (Prometheus, HAProxy and Kubernetes
 * entries; kill switches and recovery commands), the form checks name the bad value, and the two "Test" buttons are
 * admin-only POSTs; kill-switch "Test" reads every flag through a flag webhook this test serves (a JDK HttpServer:
 * the plumbing, not a provider). Each test sets the part of the configuration it checks.
 */
class RollbackConfigurationTest {

    private static final String PROMETHEUS_TOKEN = "prom-token-6f1d2c0b9e";
    private static final String FLAG_TOKEN = "flag-bearer-51c3a9e0d7";
    private static SharedJenkins j;
    private static HttpServer webhook;
    private static final Map<String, Boolean> FLAGS = new ConcurrentHashMap<>();
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Throwable {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/flags/", exchange -> {
            AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String flag = exchange.getRequestURI().getPath().substring("/flags/".length());
            Boolean on = FLAGS.get(flag);
            byte[] body = on == null ? new byte[0] : ("{\"enabled\":" + on + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(on == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        webhook.start();
        FLAGS.put("new-checkout", true);
        FLAGS.put("old-search", false);
        j = SharedJenkins.start(RollbackConfigurationTest.class);
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "prom-token", "Prometheus", Secret.fromString(PROMETHEUS_TOKEN)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "flag-token", "flag webhook", Secret.fromString(FLAG_TOKEN)));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (j != null) {
                j.after();
            }
        } finally {
            if (webhook != null) {
                webhook.stop(0);
            }
        }
    }

    private static String webhookUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/flags";
    }

    /** The System page's form submitted unchanged by an administrator (JenkinsRule.configRoundtrip, logged in). */
    private static String roundTripThroughTheSystemPage() throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            j.submit(wc.goTo("manage/configure").getFormByName("config"));
            HtmlPage page = wc.goTo("manage/configure");
            return page.getWebResponse().getContentAsString();
        }
    }

    private static String savedConfiguration() throws Exception {
        return Files.readString(j.jenkins.getRootDir().toPath().resolve(RollbackConfiguration.class.getName() + ".xml"),
                StandardCharsets.UTF_8);
    }

    @Test
    void pluginLoadsAndConfigurationRoundTripsThroughTheSystemPageWithoutSecrets() throws Exception {
        PluginWrapper plugin = j.jenkins.getPluginManager().getPlugin("rollback-deploy");
        assertThat(plugin).isNotNull();
        assertThat(plugin.isActive()).isTrue();
        RollbackConfiguration config = RollbackConfiguration.get();
        PrometheusEndpoint prometheus = new PrometheusEndpoint("prod", "http://127.0.0.1:9090/");
        prometheus.setCredentialsId("prom-token");
        prometheus.setScrapeIntervalSeconds(5);
        HAProxyTargetConfig haproxy = new HAProxyTargetConfig("shop-vms", "/run/haproxy/admin.sock\n127.0.0.1:9999",
                "app", "stable1, stable2", "canary1");
        KubernetesClusterConfig cluster = new KubernetesClusterConfig("prod-eu", "kubeconfig");
        cluster.setNamespace("shop");
        cluster.setContext("eu");
        config.setPrometheusEndpoints(List.of(prometheus));
        config.setHaproxyTargets(List.of(haproxy));
        config.setKubernetesClusters(List.of(cluster));

        String html = roundTripThroughTheSystemPage();

        RollbackConfiguration after = RollbackConfiguration.get();
        assertThat(after.prometheus("prod")).get().extracting(PrometheusEndpoint::getUrl, PrometheusEndpoint::getCredentialsId,
                PrometheusEndpoint::getScrapeIntervalSeconds).containsExactly("http://127.0.0.1:9090/", "prom-token", 5);
        assertThat(after.haproxyTarget("shop-vms")).get().extracting(HAProxyTargetConfig::runtimeApiList)
                .isEqualTo(List.of("/run/haproxy/admin.sock", "127.0.0.1:9999"));
        assertThat(after.haproxyTarget("shop-vms").orElseThrow().toBackend().canaryServers()).containsExactly("canary1");
        assertThat(after.kubernetesCluster("prod-eu")).get().extracting(KubernetesClusterConfig::getNamespace,
                KubernetesClusterConfig::getContext).containsExactly("shop", "eu");
        assertThat(html).contains("Rollback Deploy", "Prometheus endpoints", "shop-vms", "Test connection")
                .doesNotContain(PROMETHEUS_TOKEN);
        assertThat(savedConfiguration()).contains("prom-token").doesNotContain(PROMETHEUS_TOKEN);
    }

    @Test
    void formChecksNameTheBadValueAndTestConnectionNeedsAdminister() throws Exception {
        PrometheusEndpoint.DescriptorImpl prometheus = j.jenkins.getDescriptorByType(PrometheusEndpoint.DescriptorImpl.class);
        assertThat(prometheus.doCheckName("bad name").getMessage()).contains("bad name");
        assertThat(prometheus.doCheckUrl("ftp://x").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(prometheus.doCheckUrl("http://u:hunter2@prom:9090/").getMessage()).doesNotContain("hunter2");
        assertThat(prometheus.doCheckUrl("http://prom:9090/").kind).isEqualTo(FormValidation.Kind.OK);
        HAProxyTargetConfig.DescriptorImpl haproxy = j.jenkins.getDescriptorByType(HAProxyTargetConfig.DescriptorImpl.class);
        assertThat(haproxy.doCheckRuntimeApis("host-without-port").getMessage()).contains("host-without-port");
        assertThat(haproxy.doCheckStableServers("ok1, bad/name").getMessage()).contains("bad/name");
        KubernetesClusterConfig.DescriptorImpl kube = j.jenkins.getDescriptorByType(KubernetesClusterConfig.DescriptorImpl.class);
        assertThat(kube.doCheckNamespace("Not_A_Label").getMessage()).contains("Not_A_Label");
        // a refused connection is an error naming the URL, not an exception
        FormValidation refused = prometheus.doTestConnection("http://127.0.0.1:1/", "", 15, 2);
        assertThat(refused.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(refused.getMessage()).contains("127.0.0.1:1");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("reader")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            var request = new WebRequest(wc.createCrumbedUrl(
                    "descriptorByName/" + PrometheusEndpoint.class.getName() + "/testConnection?url=http://127.0.0.1:1/"),
                    HttpMethod.POST);
            assertThat(wc.getPage(request).getWebResponse().getStatusCode()).isEqualTo(403);
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            var get = new WebRequest(new URL(j.getURL(),
                    "descriptorByName/" + PrometheusEndpoint.class.getName() + "/testConnection?url=http://127.0.0.1:1/"),
                    HttpMethod.GET);
            // @POST: a GET is not dispatched to the web method at all
            assertThat(wc.getPage(get).getWebResponse().getStatusCode()).isIn(404, 405);
        }
    }

    @Test
    void killSwitchesAndRecoveryCommandsRoundTripThroughTheSystemPageWithoutTheToken() throws Exception {
        KillSwitchConfig unleash = new KillSwitchConfig("shop-vms", "unleash", "http://127.0.0.1:4242/");
        unleash.setCredentialsId("flag-token");
        unleash.setEnvironment("production");
        unleash.setFlags("new-checkout\nnew-search");
        unleash.setMode("INSTEAD_OF_TRAFFIC");
        KillSwitchConfig hook = new KillSwitchConfig("shop-k8s", "webhook", webhookUrl());
        hook.setFlags("new-checkout");
        RecoveryCommandConfig recovery = new RecoveryCommandConfig("shop-vms", "/opt/db/restore-to-time\n--cluster=shop");
        recovery.setTimeoutSeconds(900);
        RollbackConfiguration.get().setKillSwitches(List.of(unleash, hook));
        RollbackConfiguration.get().setRecoveryCommands(List.of(recovery));

        String html = roundTripThroughTheSystemPage();

        assertThat(html).contains("Kill switches", "Recovery commands", "new-search", "/opt/db/restore-to-time")
                .doesNotContain(FLAG_TOKEN);
        RollbackConfiguration after = RollbackConfiguration.get();
        KillSwitchConfig back = after.killSwitch("shop-vms").orElseThrow();
        assertThat(back).extracting(KillSwitchConfig::getProvider, KillSwitchConfig::getUrl, KillSwitchConfig::getCredentialsId,
                KillSwitchConfig::getProject, KillSwitchConfig::getEnvironment, KillSwitchConfig::getMode)
                .containsExactly("unleash", "http://127.0.0.1:4242/", "flag-token", "default", "production", "INSTEAD_OF_TRAFFIC");
        assertThat(back.flagList()).containsExactly("new-checkout", "new-search");
        assertThat(after.killSwitch("shop-k8s").orElseThrow().getProvider()).isEqualTo("webhook");
        RecoveryCommandConfig command = after.recoveryCommand("shop-vms").orElseThrow();
        assertThat(command.toCommand().argv()).containsExactly("/opt/db/restore-to-time", "--cluster=shop");
        assertThat(command.getTimeoutSeconds()).isEqualTo(900);
        assertThat(savedConfiguration()).contains("flag-token", "new-search").doesNotContain(FLAG_TOKEN);
    }

    @Test
    void killSwitchAndRecoveryFormChecksNameTheBadValue() {
        KillSwitchConfig.DescriptorImpl kill = j.jenkins.getDescriptorByType(KillSwitchConfig.DescriptorImpl.class);
        assertThat(kill.doCheckTarget("bad target").getMessage()).contains("bad target");
        assertThat(kill.doCheckFlags("new-checkout\nbad/flag").getMessage()).contains("bad/flag");
        assertThat(kill.doCheckFlags("").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(kill.doCheckUrl("http://user:hunter2@flags:4242/").getMessage()).doesNotContain("hunter2");
        assertThat(kill.doCheckEnvironment("", "unleash").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(kill.doCheckEnvironment("", "webhook").kind).isEqualTo(FormValidation.Kind.OK);
        RecoveryCommandConfig.DescriptorImpl recovery = j.jenkins.getDescriptorByType(RecoveryCommandConfig.DescriptorImpl.class);
        assertThat(recovery.doCheckCommand("\n  \n").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(recovery.doCheckCommand("restore.sh").getMessage()).contains("restore.sh");
        assertThat(recovery.doCheckTimeoutSeconds(0).getMessage()).contains("0");
    }

    @Test
    void killSwitchTestReadsEveryFlagThroughTheStoreWithTheTokenAndNamesAMissingOne() throws Exception {
        KillSwitchConfig.DescriptorImpl kill = j.jenkins.getDescriptorByType(KillSwitchConfig.DescriptorImpl.class);
        AUTHORIZATIONS.clear();

        FormValidation ok = kill.doTestFlags("shop-vms", "webhook", webhookUrl(), "flag-token", "", "",
                "new-checkout, old-search");
        FormValidation missing = kill.doTestFlags("shop-vms", "webhook", webhookUrl(), "flag-token", "", "",
                "new-checkout\nno-such-flag");

        assertThat(ok.kind).as(ok.getMessage()).isEqualTo(FormValidation.Kind.OK);
        assertThat(ok.getMessage()).contains("[new-checkout, old-search] in flag webhook " + webhookUrl(), "each exists");
        assertThat(missing.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(missing.getMessage()).contains("no-such-flag", "does not exist", "nothing was changed")
                .doesNotContain(FLAG_TOKEN);
        assertThat(AUTHORIZATIONS).as("the token reached the store as a bearer token").contains("Bearer " + FLAG_TOKEN);
        assertThat(FLAGS).as("a test changes nothing").containsEntry("new-checkout", true).containsEntry("old-search", false);
    }

    @Test
    void killSwitchTestNeedsAdministerAndAPost() throws Exception {
        String path = "descriptorByName/" + KillSwitchConfig.class.getName() + "/testFlags?provider=webhook&url="
                + webhookUrl() + "&flags=new-checkout";
        AUTHORIZATIONS.clear();
        try (JenkinsRule.WebClient wc = j.createWebClient().login("reader")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            WebRequest post = new WebRequest(wc.createCrumbedUrl(path), HttpMethod.POST);
            assertThat(wc.getPage(post).getWebResponse().getStatusCode()).isEqualTo(403);
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            WebRequest get = new WebRequest(new URL(j.getURL(), path), HttpMethod.GET);
            assertThat(wc.getPage(get).getWebResponse().getStatusCode()).isIn(404, 405);
            WebRequest post = new WebRequest(wc.createCrumbedUrl(path), HttpMethod.POST);
            assertThat(wc.getPage(post).getWebResponse().getContentAsString()).contains("[new-checkout]", "each exists");
        }
        assertThat(AUTHORIZATIONS).as("only the admin's POST reached the store").hasSize(1);
    }
}
