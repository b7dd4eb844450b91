package dev.rollbackdeploy.jenkins.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipeline jobs created over REST (with a crumb) in the real Jenkins run {@code canaryDeploy} and
 * {@code rollbackTo} against a real HAProxy and a real Prometheus on loopback (the local drill's
 * environment). One Jenkins and one environment for the class; the tests run in order, as a team's
 * builds would: a healthy build, a faulty one, restores, then the secret check over everything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryDeployIT {

    private static final String TOKEN = "prom-bearer-7c41e2d95ab3";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);
    private static final String DEPLOY = "canaryDeploy target: 'shop-vms', prometheus: 'local', steps: '10, 50, 100', "
            + "interval: '1s', maxDuration: '60s'";

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.standard();

    static DrillEnvironment env;

    @BeforeAll
    static void environment() throws Exception {
        env = DrillEnvironment.start("v1", "v2", 100, line -> System.out.println("[env] " + line));
        String script = String.join("\n",
                "import com.cloudbees.plugins.credentials.CredentialsScope",
                "import com.cloudbees.plugins.credentials.SystemCredentialsProvider",
                "import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl",
                "import hudson.util.Secret",
                "import dev.rollbackdeploy.jenkins.config.*",
                "def store = SystemCredentialsProvider.getInstance()",
                "store.getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL, 'prom-token', 'Prometheus', "
                        + "Secret.fromString('" + TOKEN + "')))",
                "store.save()",
                "def c = RollbackConfiguration.get()",
                "def p = new PrometheusEndpoint('local', '" + env.prometheus().baseUrl() + "')",
                "p.credentialsId = 'prom-token'",
                "p.scrapeIntervalSeconds = 1",
                "c.prometheusEndpoints = [p]",
                "c.haproxyTargets = [new HAProxyTargetConfig('shop-vms', '" + env.haproxy().adminSocket() + "', '"
                        + LocalHAProxy.BACKEND + "', 'stable1, stable2', 'canary1')]",
                "println 'configured ' + c.haproxyTargets.size()");
        JenkinsRest.Response r = JENKINS.admin().post("scriptText", null,
                "script=" + URLEncoder.encode(script, StandardCharsets.UTF_8));
        assertThat(r.body()).as(r.body()).contains("configured 1");
    }

    @AfterAll
    static void closeEnvironment() {
        if (env != null) {
            env.close();
        }
    }

    static HAProxyTrafficRouter router() {
        return router(env);
    }

    /** The environment's backend, as the test reads and sets it. */
    static HAProxyTrafficRouter router(DrillEnvironment env) {
        return new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(env.haproxy().adminSocket().toString(),
                Duration.ofSeconds(2))));
    }

    @Test
    @Order(1)
    void healthyBuildIsPromoted() throws Exception {
        JENKINS.admin().createPipeline("deploy", "def r = " + DEPLOY + "\necho \"deploy status=${r.status}\"");
        int build = JENKINS.admin().startBuild("deploy", Duration.ofMinutes(1));
        String result = JENKINS.admin().awaitResult("deploy", build, BUILD_TIMEOUT);
        String console = JENKINS.admin().console("deploy", build);
        System.out.println(console);
        assertThat(result).as(console).isEqualTo("SUCCESS");
        assertThat(console).contains("deploy status=PROMOTED", "recorded deploy#1 as PROMOTED");
        assertThat(router().canaryWeight()).isEqualTo(Weight.ALL);
    }

    @Test
    @Order(2)
    void faultyBuildIsRolledBackWithTrafficOnStableAndFailsWithTheReason() throws Exception {
        env.candidate().inject(new SampleService.Fault(0.5, Duration.ZERO));
        try {
            int build = JENKINS.admin().startBuild("deploy", Duration.ofMinutes(1));
            String result = JENKINS.admin().awaitResult("deploy", build, BUILD_TIMEOUT);
            String console = JENKINS.admin().console("deploy", build);
            System.out.println(console);
            assertThat(result).as(console).isEqualTo("FAILURE");
            // The gate's Fail, not its limit of inconclusive looks: against the baseline, or on the canary's own
            // rate once it served enough requests (both are the error-ratio judge's evidence of a faulty canary).
            assertThat(console).contains("ERROR: canaryDeploy ABORTED: the gate said roll back", "failed looks (limit 0): error-ratio: ")
                    .containsAnyOf("canary error rate is above baseline", "the canary's own error rate is at least")
                    .doesNotContain("deploy status=", "inconclusive looks");
            // traffic on stable first, then the record, then the build ends
            assertThat(console.indexOf("canary weight 0% (canary share 0%) confirmed"))
                    .isPositive().isLessThan(console.indexOf("recorded deploy#" + build));
            assertThat(console.indexOf("recorded deploy#" + build)).isLessThan(console.indexOf("Finished: FAILURE"));
            assertThat(router().canaryWeight()).as("all traffic on stable").isEqualTo(Weight.NONE);
        } finally {
            env.candidate().inject(SampleService.Fault.NONE);
        }
    }

    @Test
    @Order(3)
    void rollbackToRestoresTheGoodBuildAndASecondMakesNoWrite() throws Exception {
        JENKINS.admin().createPipeline("restore", "def r = rollbackTo 'deploy#1'\necho \"restore writes=${r.writes}\"");
        int first = JENKINS.admin().startBuild("restore", Duration.ofMinutes(1));
        String firstConsole = JENKINS.admin().console("restore", first);
        assertThat(JENKINS.admin().awaitResult("restore", first, BUILD_TIMEOUT)).as(firstConsole).isEqualTo("SUCCESS");
        firstConsole = JENKINS.admin().console("restore", first);
        System.out.println(firstConsole);
        assertThat(firstConsole).contains("restored deploy#1").doesNotContain("restore writes=0");
        assertThat(router().canaryWeight()).isEqualTo(Weight.ALL);
        assertThat(Files.readString(JENKINS.home().resolve("rollback-deploy/audit/audit.jsonl")))
                .as("the step's restore is in the audit log like `rollback --to`'s").contains("ROLLBACK", "rollbackTo deploy#1");

        int second = JENKINS.admin().startBuild("restore", Duration.ofMinutes(1));
        assertThat(JENKINS.admin().awaitResult("restore", second, BUILD_TIMEOUT)).isEqualTo("SUCCESS");
        String secondConsole = JENKINS.admin().console("restore", second);
        System.out.println(secondConsole);
        assertThat(secondConsole).contains("deploy#1 is already live: 0 writes", "restore writes=0");
    }

    @Test
    @Order(4)
    void bearerTokenAppearsInNoConsoleBuildXmlRecordOrPage() throws Exception {
        List<String> pages = new ArrayList<>();
        for (String path : List.of("job/deploy/1/consoleText", "job/deploy/2/consoleText", "job/deploy/1/",
                "job/deploy/2/", "job/restore/1/consoleText", "manage/configure", "job/deploy/2/api/json?depth=2")) {
            JenkinsRest.Response page = JENKINS.admin().get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            pages.add(path + "\n" + page.body());
        }
        assertThat(pages).noneMatch(p -> p.contains(TOKEN));
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(JENKINS.home())) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(JENKINS.home().resolve("war")) && !p.startsWith(JENKINS.home().resolve("plugins")))
                    .forEach(files::add);
        }
        assertThat(files).as("build.xml, logs, records").anyMatch(p -> p.toString().endsWith("build.xml"))
                .anyMatch(p -> p.toString().contains("rollback-deploy"));
        for (Path file : files) {
            assertThat(contains(file, TOKEN)).as(file.toString()).isFalse();
        }
    }

    @Test
    @Order(5)
    void stopButtonPutsAllTrafficOnStableBeforeTheBuildEnds() throws Exception {
        JENKINS.admin().createPipeline("deploy-slow", "canaryDeploy target: 'shop-vms', prometheus: 'local', "
                + "steps: '10, 50, 100', interval: '1s', maxDuration: '5m'");
        int build = JENKINS.admin().startBuild("deploy-slow", Duration.ofMinutes(1));
        awaitConsole("deploy-slow", build, "canary weight 10% (canary share 10%) confirmed");
        assertThat(router().canaryWeight()).isEqualTo(Weight.of(10));
        // getStatus(), as the Pipeline's thread dump shows the waiting step
        JenkinsRest.Response dump = JENKINS.admin().get("job/deploy-slow/" + build + "/threadDump/");
        assertThat(dump.body()).as(dump.body()).contains("canaryDeploy").contains("weight 10%").containsPattern("step \\d/\\d");

        assertThat(JENKINS.admin().post("job/deploy-slow/" + build + "/stop", null, null).status()).isIn(200, 302);

        assertThat(JENKINS.admin().awaitResult("deploy-slow", build, BUILD_TIMEOUT)).isEqualTo("ABORTED");
        String console = JENKINS.admin().console("deploy-slow", build);
        System.out.println(console);
        assertThat(console.indexOf("traffic is on stable, confirmed on every load balancer")).isPositive()
                .isLessThan(console.indexOf("Finished: ABORTED"));
        assertThat(router().canaryWeight()).isEqualTo(Weight.NONE);
    }

    @Test
    @Order(6)
    void restartMidCanaryResumesAndWritesNoWeightTwice() throws Exception {
        int build = JENKINS.admin().startBuild("deploy-slow", Duration.ofMinutes(1));
        awaitConsole("deploy-slow", build, "canary weight 10% (canary share 10%) confirmed");

        JENKINS.stop();
        assertThat(router().canaryWeight()).as("HAProxy keeps the split while Jenkins is down").isEqualTo(Weight.of(10));
        JENKINS.start();

        String result = JENKINS.admin().awaitResult("deploy-slow", build, BUILD_TIMEOUT);
        String console = JENKINS.admin().console("deploy-slow", build);
        System.out.println(console);
        assertThat(result).as(console).isEqualTo("SUCCESS");
        assertThat(console).contains("resumed after a controller restart", "recorded deploy-slow#" + build + " as PROMOTED");
        for (String share : List.of("10%", "50%", "100%")) {
            assertThat(count(console, "canary weight " + share + " (canary share " + share + ") confirmed"))
                    .as("writes of " + share).isEqualTo(1);
        }
        assertThat(router().canaryWeight()).isEqualTo(Weight.ALL);
    }

    @Test
    @Order(7)
    void lastPromotedIsTheNewestReleaseThatWasLiveAfterAManualRollbackNotTheRolledBackBuild() throws Exception {
        // deploy-slow#2 was promoted last (Order 6); a person then rolls back to deploy#1, which records the
        // restore as restore#3 holding deploy#1's release. lastPromoted must name that release, not the promoted
        // build just rolled back (it named deploy-slow#2 when the step looked for PROMOTED records only).
        int restore = JENKINS.admin().startBuild("restore", Duration.ofMinutes(1));
        assertThat(JENKINS.admin().awaitResult("restore", restore, BUILD_TIMEOUT)).isEqualTo("SUCCESS");
        JENKINS.admin().createPipeline("last", "def r = rollbackTo build: 'lastPromoted', target: 'shop-vms'\n"
                + "echo \"lastPromoted=${r.build} writes=${r.writes}\"");
        int build = JENKINS.admin().startBuild("last", Duration.ofMinutes(1));
        String result = JENKINS.admin().awaitResult("last", build, BUILD_TIMEOUT);
        String console = JENKINS.admin().console("last", build);
        System.out.println(console);
        assertThat(result).as(console).isEqualTo("SUCCESS");
        assertThat(console).contains("lastPromoted=restore#" + restore + " writes=0");
    }

    private static void awaitConsole(String job, int build, String text) throws Exception {
        awaitConsole(JENKINS, job, build, text);
    }

    static void awaitConsole(RealJenkins jenkins, String job, int build, String text) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofMinutes(2));
        while (!jenkins.admin().console(job, build).contains(text)) {
            assertThat(java.time.Instant.now()).as("waiting for '" + text + "' in " + job + " #" + build + ":\n"
                    + jenkins.admin().console(job, build)).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static boolean contains(Path file, String text) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
    }
}
