package dev.rollbackdeploy.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.jenkins.config.HAProxyTargetConfig;
import dev.rollbackdeploy.jenkins.config.KillSwitchConfig;
import dev.rollbackdeploy.jenkins.config.PrometheusEndpoint;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.ui.ControllerRecords;
import dev.rollbackdeploy.jenkins.ui.Secrets;
import dev.rollbackdeploy.jenkins.ui.SharedJenkins;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.local.LocalUnleash;
import dev.rollbackdeploy.local.UnleashAdmin;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import hudson.model.Result;
import hudson.util.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code canaryDeploy} with the target's configured kill switch (JenkinsRule), against a real Unleash 7.5.1 on a real
 * PostgreSQL and the local drill environment's real HAProxy and Prometheus: a faulty canary is rolled back by the gate,
 * the flag goes off before traffic moves, Unleash reads it off and the record shows the change; a flag that does not
 * exist fails the build before anything changes; the token is in no log, page or file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryKillSwitchTest {

    static final String DEPLOY = "canaryDeploy target: 'shop-vms', prometheus: 'local', steps: '10, 50, 100', "
            + "interval: '1s', maxDuration: '60s'";
    private static SharedJenkins j;
    private static LocalPostgres postgres;
    private static LocalUnleash unleash;
    private static UnleashAdmin flags;
    private static DrillEnvironment env;
    private static WorkflowJob deploy;

    @BeforeAll
    static void start() throws Throwable {
        postgres = LocalPostgres.start();
        unleash = LocalUnleash.start(postgres, "unleash");
        flags = new UnleashAdmin(unleash);
        env = DrillEnvironment.start("v1", "v2", 100, line -> System.out.println("[env] " + line));
        j = SharedJenkins.start(CanaryKillSwitchTest.class);
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "unleash-admin", "Unleash admin token", Secret.fromString(LocalUnleash.ADMIN_TOKEN)));
        RollbackConfiguration config = RollbackConfiguration.get();
        PrometheusEndpoint prometheus = new PrometheusEndpoint("local", env.prometheus().baseUrl());
        prometheus.setScrapeIntervalSeconds(1);
        config.setPrometheusEndpoints(List.of(prometheus));
        config.setHaproxyTargets(List.of(new HAProxyTargetConfig("shop-vms", env.haproxy().adminSocket().toString(),
                LocalHAProxy.BACKEND, "stable1, stable2", "canary1")));
        deploy = j.createProject(WorkflowJob.class, "deploy");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable server : new AutoCloseable[] {j == null ? null : j::after, env, unleash, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    /**
     * A faulty canary stays in Prometheus' windows for a few 1 s scrapes, and a gate rightly rolls back on it; a test
     * that needs a healthy canary waits until the last 10 s hold no canary 5xx (at once when none was injected yet).
     */
    private static void awaitNoCanaryErrorsInPrometheus() throws Exception {
        String query = "sum(increase(haproxy_server_http_responses_total{server=\"canary1\",code=\"5xx\"}[10s]))";
        URI uri = URI.create(env.prometheus().baseUrl() + "api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode result = new ObjectMapper().readTree(last).path("data").path("result");
            if (result.size() == 1 && result.get(0).path("value").path(1).asDouble(-1) == 0.0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the canary's 5xx did not age out of Prometheus' 10 s window within 60 s: " + last);
    }

    /** The target's kill switch in Unleash's default project, production environment. */
    static KillSwitchConfig killSwitch(String url, String... names) {
        KillSwitchConfig config = new KillSwitchConfig("shop-vms", "unleash", url);
        config.setCredentialsId("unleash-admin");
        config.setEnvironment("production");
        config.setFlags(String.join("\n", names));
        return config;
    }

    /**
     * First, while no fault has been injected: a healthy canary needs Prometheus' windows free of the faulty canary's
     * 5xx, which the tests after this one inject (waiting them out took ~10 s when this test came after them).
     */
    @Test
    @Order(1)
    void killSwitchFalseDeploysWithoutReadingTheFlags() throws Exception {
        RollbackConfiguration.get().setKillSwitches(List.of(killSwitch(unleash.baseUrl(), "no-such-flag")));
        awaitNoCanaryErrorsInPrometheus();
        deploy.setDefinition(new CpsFlowDefinition("def r = " + DEPLOY + ", killSwitch: false\necho \"flags=${r.flags}\"", true));

        try {
            WorkflowRun run = j.buildAndAssertSuccess(deploy);

            j.assertLogContains("kill switch of target shop-vms NOT used (killSwitch: false)", run);
            j.assertLogContains("flags=[]", run);
            j.assertLogNotContains("does not exist", run);
            assertThat(router().canaryWeight()).isEqualTo(Weight.ALL);
        } finally {
            router().setCanaryWeight(Weight.NONE); // what a person would do next; the next tests start from stable
        }
    }

    @Test
    @Order(2)
    void aCanaryTheGateRollsBackTurnsTheFlagOffBeforeTrafficMovesAndTheRecordShowsIt() throws Exception {
        String flag = flags.createOn();
        RollbackConfiguration.get().setKillSwitches(List.of(killSwitch(unleash.baseUrl(), flag)));
        env.candidate().inject(new SampleService.Fault(0.5, Duration.ZERO));
        WorkflowRun run;
        try {
            deploy.setDefinition(new CpsFlowDefinition(DEPLOY, true));
            run = j.assertBuildStatus(Result.FAILURE, deploy.scheduleBuild2(0));
        } finally {
            env.candidate().inject(SampleService.Fault.NONE);
        }

        String log = Secrets.log(run);
        assertThat(log).contains("kill switch: flags [" + flag + "] in unleash", "flags off before traffic moves",
                "canaryDeploy ABORTED: the gate said roll back", flag + " on -> off");
        assertThat(log.indexOf(flag + " on -> off")).as("the flag went off before traffic went back to stable")
                .isLessThan(log.indexOf("canary weight 0% (canary share 0%) confirmed"));
        assertThat(flags.enabledInProduction(flag)).as("read back from Unleash").isFalse();
        assertThat(router().canaryWeight()).isEqualTo(Weight.NONE);
        DeploymentRecord record = ControllerRecords.store().load(BuildRef.parse("deploy#" + run.getNumber()));
        assertThat(record.outcome().status()).as("the gate said roll back: the rollout aborted").isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}", "environment production");
        assertThat(log).doesNotContain(LocalUnleash.ADMIN_TOKEN);
    }

    @Test
    @Order(3)
    void inModeInsteadOfTrafficTheGatesRollbackTurnsTheFlagOffAndTheCanaryKeepsItsShare() throws Exception {
        String flag = flags.createOn();
        KillSwitchConfig instead = killSwitch(unleash.baseUrl(), flag);
        instead.setMode("INSTEAD_OF_TRAFFIC");
        RollbackConfiguration.get().setKillSwitches(List.of(instead));
        env.candidate().inject(new SampleService.Fault(0.5, Duration.ZERO));
        WorkflowRun run;
        try {
            deploy.setDefinition(new CpsFlowDefinition(DEPLOY, true));
            run = j.assertBuildStatus(Result.FAILURE, deploy.scheduleBuild2(0));
        } finally {
            env.candidate().inject(SampleService.Fault.NONE);
        }
        try {
            j.assertLogContains("flags off instead of moving traffic", run);
            j.assertLogContains(flag + " on -> off", run);
            assertThat(flags.enabledInProduction(flag)).isFalse();
            assertThat(router().canaryWeight()).as("no traffic moved: the canary keeps its share")
                    .isNotEqualTo(Weight.NONE);
            DeploymentRecord record = ControllerRecords.store().load(BuildRef.parse("deploy#" + run.getNumber()));
            assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
            assertThat(record.outcome().reason()).contains("INSTEAD of moving traffic");
            assertThat(record.safety().flagsJson().orElseThrow().toString())
                    .contains("{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}");
        } finally {
            router().setCanaryWeight(Weight.NONE); // what a person would do next; the next tests start from stable
        }
    }

    @Test
    @Order(4)
    void aFlagThatDoesNotExistFailsTheBuildNamingItBeforeAnythingChanges() throws Exception {
        String flag = flags.createOn();
        RollbackConfiguration.get().setKillSwitches(List.of(killSwitch(unleash.baseUrl(), flag, "no-such-flag")));
        Weight before = router().canaryWeight();
        deploy.setDefinition(new CpsFlowDefinition(DEPLOY, true));

        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, deploy.scheduleBuild2(0));

        j.assertLogContains("flag 'no-such-flag' does not exist in unleash", run);
        j.assertLogContains("nothing was changed", run);
        j.assertLogNotContains("canary weight", run);
        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(router().canaryWeight()).isEqualTo(before);
        assertThat(ControllerRecords.store().list("shop-vms")).noneMatch(r -> r.build().number() == run.getNumber());
    }

    @Test
    @Order(5)
    void theTokenIsInNoBuildLogPageOrFile() throws Exception {
        Secrets.assertNowhere(j, LocalUnleash.ADMIN_TOKEN, null, List.of("manage/configure", "job/deploy/1/", "job/deploy/1/console",
                "job/deploy/2/console", "job/deploy/1/rollback-record/", "job/deploy/rollback-deployments/"));
    }

    static HAProxyTrafficRouter router() {
        return new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(env.haproxy().adminSocket().toString(),
                Duration.ofSeconds(2))));
    }
}
