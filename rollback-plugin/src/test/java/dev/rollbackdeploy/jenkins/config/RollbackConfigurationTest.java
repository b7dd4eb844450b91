package dev.rollbackdeploy.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.PluginWrapper;
import hudson.util.FormValidation;
import hudson.util.Secret;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration in a JenkinsRule Jenkins: loads, renders, round-trips, validates, guards. */
@WithJenkins
class RollbackConfigurationTest {

    private static final String TOKEN = "prom-token-6f1d2c0b9e";

    @Test
    void pluginLoadsAndConfigurationRoundTripsThroughTheSystemPageWithoutSecrets(JenkinsRule j) throws Exception {
        PluginWrapper plugin = j.jenkins.getPluginManager().getPlugin("rollback-deploy");
        assertThat(plugin).isNotNull();
        assertThat(plugin.isActive()).isTrue();
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "prom-token", "Prometheus", Secret.fromString(TOKEN)));
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

        j.configRoundtrip();

        RollbackConfiguration after = RollbackConfiguration.get();
        assertThat(after.prometheus("prod")).get().extracting(PrometheusEndpoint::getUrl, PrometheusEndpoint::getCredentialsId,
                PrometheusEndpoint::getScrapeIntervalSeconds).containsExactly("http://127.0.0.1:9090/", "prom-token", 5);
        assertThat(after.haproxyTarget("shop-vms")).get().extracting(HAProxyTargetConfig::runtimeApiList)
                .isEqualTo(List.of("/run/haproxy/admin.sock", "127.0.0.1:9999"));
        assertThat(after.haproxyTarget("shop-vms").orElseThrow().toBackend().canaryServers()).containsExactly("canary1");
        assertThat(after.kubernetesCluster("prod-eu")).get().extracting(KubernetesClusterConfig::getNamespace,
                KubernetesClusterConfig::getContext).containsExactly("shop", "eu");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/configure");
            String html = page.getWebResponse().getContentAsString();
            assertThat(html).contains("Rollback Deploy", "Prometheus endpoints", "shop-vms", "Test connection")
                    .doesNotContain(TOKEN);
        }
        String saved = new String(java.nio.file.Files.readAllBytes(j.jenkins.getRootDir().toPath()
                .resolve(RollbackConfiguration.class.getName() + ".xml")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(saved).contains("prom-token").doesNotContain(TOKEN);
    }

    @Test
    void formChecksNameTheBadValueAndTestConnectionNeedsAdminister(JenkinsRule j) throws Exception {
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

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        try (JenkinsRule.WebClient wc = j.createWebClient().login("reader")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            var request = new org.htmlunit.WebRequest(wc.createCrumbedUrl(
                    "descriptorByName/" + PrometheusEndpoint.class.getName() + "/testConnection?url=http://127.0.0.1:1/"),
                    org.htmlunit.HttpMethod.POST);
            assertThat(wc.getPage(request).getWebResponse().getStatusCode()).isEqualTo(403);
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            var get = new org.htmlunit.WebRequest(new java.net.URL(j.getURL(),
                    "descriptorByName/" + PrometheusEndpoint.class.getName() + "/testConnection?url=http://127.0.0.1:1/"),
                    org.htmlunit.HttpMethod.GET);
            // @POST: a GET is not dispatched to the web method at all
            assertThat(wc.getPage(get).getWebResponse().getStatusCode()).isIn(404, 405);
        }
    }
}
