package dev.rollbackdeploy.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.jenkins.ui.SharedJenkins;
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
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * Kill switches and recovery commands in the global configuration (one JenkinsRule Jenkins): they round-trip
 * through the System page without the token, the form checks name the bad value, and "Test" reads every flag
 * through a flag webhook this test serves (a JDK HttpServer: the plumbing, not a provider) as an admin-only POST.
 */
class SafetyConfigurationTest {

    private static final String TOKEN = "flag-bearer-51c3a9e0d7";
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
        j = SharedJenkins.start(SafetyConfigurationTest.class);
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "flag-token", "flag webhook", Secret.fromString(TOKEN)));
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

        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            j.submit(wc.goTo("manage/configure").getFormByName("config"));
            String html = wc.goTo("manage/configure").getWebResponse().getContentAsString();
            assertThat(html).contains("Kill switches", "Recovery commands", "new-search", "/opt/db/restore-to-time")
                    .doesNotContain(TOKEN);
        }

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
        String saved = Files.readString(j.jenkins.getRootDir().toPath().resolve(RollbackConfiguration.class.getName() + ".xml"));
        assertThat(saved).contains("flag-token", "new-search").doesNotContain(TOKEN);
    }

    @Test
    void formChecksNameTheBadValue() {
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
    void testReadsEveryFlagThroughTheStoreWithTheTokenAndNamesAMissingOne() throws Exception {
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
                .doesNotContain(TOKEN);
        assertThat(AUTHORIZATIONS).as("the token reached the store as a bearer token").contains("Bearer " + TOKEN);
        assertThat(FLAGS).as("a test changes nothing").containsEntry("new-checkout", true).containsEntry("old-search", false);
    }

    @Test
    void testNeedsAdministerAndAPost() throws Exception {
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
