package dev.rollbackdeploy.jenkins.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.VmRecords;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code metricsGate} and {@code rollbackDrill} in the real Jenkins (the packaged .hpi, one start for the
 * class) against a real HAProxy and a real Prometheus on loopback (the local drill's environment, as in
 * {@link CanaryDeployIT}). The test puts the canary's traffic where each case needs it, as a deploy would.
 * In order: the healthy gate first, before any fault has been injected (errors of a fault removed seconds
 * earlier are still in Prometheus' windows, and the gate rightly refuses to call that healthy).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsGateAndDrillIT {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);
    private static final String GATE = "metricsGate target: 'shop-vms', prometheus: 'local', interval: '1s'";

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.standard();

    static DrillEnvironment env;

    @BeforeAll
    static void environment() throws Exception {
        env = DrillEnvironment.start("v1", "v2", 100, line -> System.out.println("[env] " + line));
        String targets = String.join(", ", List.of("shop-vms", "staging-vms").stream().map(name ->
                "new HAProxyTargetConfig('" + name + "', '" + env.haproxy().adminSocket() + "', '" + LocalHAProxy.BACKEND
                        + "', 'stable1, stable2', 'canary1')").toList());
        String script = String.join("\n",
                "import dev.rollbackdeploy.jenkins.config.*",
                "def c = RollbackConfiguration.get()",
                "def p = new PrometheusEndpoint('local', '" + env.prometheus().baseUrl() + "')",
                "p.scrapeIntervalSeconds = 1",
                "c.prometheusEndpoints = [p]",
                "c.haproxyTargets = [" + targets + "]",
                "println 'configured ' + c.haproxyTargets.size()");
        JenkinsRest.Response r = JENKINS.admin().post("scriptText", null,
                "script=" + URLEncoder.encode(script, StandardCharsets.UTF_8));
        assertThat(r.body()).as(r.body()).contains("configured 2");
    }

    @AfterAll
    static void closeEnvironment() {
        if (env != null) {
            env.close();
        }
    }

    private static Run build(String job, String script) throws Exception {
        JENKINS.admin().createPipeline(job, script);
        int number = JENKINS.admin().startBuild(job, Duration.ofMinutes(1));
        String result = JENKINS.admin().awaitResult(job, number, BUILD_TIMEOUT);
        String console = JENKINS.admin().console(job, number);
        System.out.println(console);
        return new Run(number, result, console);
    }

    private record Run(int number, String result, String console) {
    }

    @Test
    @Order(1)
    void aHealthyCanaryPromotesAndTheStepReturnsTheDecision() throws Exception {
        CanaryDeployIT.router(env).setCanaryWeight(Weight.of(50));
        Run run = build("gate-healthy", "def g = " + GATE + ", maxDuration: '90s'\n"
                + "echo \"gate outcome=${g.outcome} looks=${g.looks} unusable=${g.metricsUnusable}\"");
        assertThat(run.result()).as(run.console()).isEqualTo("SUCCESS");
        assertThat(run.console()).contains("gate outcome=PROMOTE", "unusable=false", "[metricsGate] look 1:");
        assertThat(gateVerdicts()).anySatisfy(event -> assertThat(event.reason())
                .startsWith("metricsGate in gate-healthy #" + run.number() + ": gate decided PROMOTE"));
    }

    /** The stand-alone gates' entries in the controller's audit log (the store is under JENKINS_HOME). */
    private static List<AuditEvent> gateVerdicts() throws Exception {
        return AuditLog.besideStore(JENKINS.home().resolve("rollback-deploy/records")).read().stream()
                .map(AuditEntry::event).filter(e -> e.action() == AuditAction.GATE_VERDICT).toList();
    }

    @Test
    @Order(2)
    void aFaultyCanaryFailsTheBuildWithTheReasonOrReturnsTheDecisionWhenAsked() throws Exception {
        CanaryDeployIT.router(env).setCanaryWeight(Weight.of(50));
        env.candidate().inject(new SampleService.Fault(0.5, Duration.ZERO));
        try {
            Run failing = build("gate-faulty", GATE + ", maxDuration: '90s'\necho 'after the gate'");
            assertThat(failing.result()).as(failing.console()).isEqualTo("FAILURE");
            assertThat(failing.console()).contains("ERROR: metricsGate ROLLBACK: ", "canary error rate is above baseline")
                    .doesNotContain("after the gate");

            Run returning = build("gate-faulty-returns", "def g = " + GATE + ", maxDuration: '90s', failOnRollback: false\n"
                    + "echo \"gate outcome=${g.outcome} reason=${g.reason}\"");
            assertThat(returning.result()).as(returning.console()).isEqualTo("SUCCESS");
            assertThat(returning.console()).contains("gate outcome=ROLLBACK reason=", "canary error rate is above baseline");
            assertThat(gateVerdicts()).anySatisfy(event -> {
                assertThat(event.reason()).startsWith("metricsGate in gate-faulty #" + failing.number() + ": gate decided ROLLBACK");
                assertThat(event.evidence()).contains("canary error rate is above baseline");
            });
        } finally {
            env.candidate().inject(SampleService.Fault.NONE);
        }
        assertThat(CanaryDeployIT.router(env).canaryWeight()).as("a gate moves no traffic").isEqualTo(Weight.of(50));
    }

    @Test
    @Order(3)
    void aGateWithNoCanaryTrafficIsNeverAPassAndShowsItsStatusInTheThreadDump() throws Exception {
        CanaryDeployIT.router(env).setCanaryWeight(Weight.NONE);
        // The canary's last requests (the faulty ones of the test before) stay in the first looks' increase()
        // windows for a few 1 s scrapes; this case is about a canary with no traffic at all, so let them age out.
        Thread.sleep(Duration.ofSeconds(6).toMillis());
        JENKINS.admin().createPipeline("gate-no-traffic", "def g = " + GATE + ", maxDuration: '20s', failOnRollback: false\n"
                + "echo \"gate outcome=${g.outcome} reason=${g.reason}\"");
        int number = JENKINS.admin().startBuild("gate-no-traffic", Duration.ofMinutes(1));
        CanaryDeployIT.awaitConsole(JENKINS, "gate-no-traffic", number, "[metricsGate] look 3:");
        String dump = JENKINS.admin().get("job/gate-no-traffic/" + number + "/threadDump/").body();
        assertThat(dump).as(dump).contains("metricsGate").containsPattern("gate error-ratio: \\d+ looks, last [A-Z_]+");

        String result = JENKINS.admin().awaitResult("gate-no-traffic", number, BUILD_TIMEOUT);
        String console = JENKINS.admin().console("gate-no-traffic", number);
        System.out.println(console);
        assertThat(result).as(console).isEqualTo("SUCCESS");
        assertThat(console).contains("gate outcome=").doesNotContain("gate outcome=PROMOTE");
    }

    @Test
    @Order(4)
    void theStagingDrillCatchesTheFaultyCandidateRecordsItAndLeavesThePreviousSplit() throws Exception {
        CanaryDeployIT.router(env).setCanaryWeight(Weight.NONE);
        // the promoted baseline a drill compares with, as `rollback record` would store it
        HAProxyCluster live = new HAProxyCluster(CanaryDeployIT.router(env));
        new FileRecordStore(JENKINS.home().resolve("rollback-deploy/records")).save(VmRecords.baseline(BuildRef.parse("staging#7"),
                URI.create("https://ci.example.com/job/staging/7/"), "test", new Target.HAProxy("staging-vms",
                        List.of(VmRecords.endpoint(env.haproxy().adminSocket().toString())), LocalHAProxy.BACKEND, "local-sockets"),
                new StrategySpec(StrategyKind.CANARY, Map.of()), live.observe().objects(), Instant.now()));
        env.stableInstances().forEach(s -> s.inject(new SampleService.Fault(0.01, Duration.ZERO)));
        env.candidate().inject(new SampleService.Fault(0.3, Duration.ZERO));
        try {
            Run run = build("drill", "def d = rollbackDrill target: 'staging-vms', prometheus: 'local', steps: '10, 50, 100', "
                    + "interval: '1s', maxDuration: '60s', sloSeconds: 60\necho \"drill verdict=${d.verdict}\"");
            assertThat(run.result()).as(run.console()).isEqualTo("SUCCESS");
            assertThat(run.console()).contains("[rollbackDrill] faulty candidate: ABORTED",
                    "[rollbackDrill] live split afterwards equals the record of staging#7: yes",
                    "[rollbackDrill] lock left on the target: none", "drill verdict=PASSED",
                    "[rollbackDrill] recorded drill#" + run.number());
            assertThat(CanaryDeployIT.router(env).canaryWeight()).isEqualTo(Weight.NONE);
            String record = JENKINS.admin().get("job/drill/" + run.number() + "/rollback-record/").body();
            assertThat(record).contains("staging-vms", "ABORTED", "<svg");
            // the Deployments page with the drill's audit entry: the packaged plugin renders the audit table (a
            // class= include the web class loader could not resolve once broke this page in the real Jenkins)
            assertThat(JENKINS.admin().get("job/drill/rollback-deployments/").body()).contains("drill#" + run.number())
                    .contains("rollback-audit").contains("<td>DRILL</td>");
        } finally {
            env.stableInstances().forEach(s -> s.inject(SampleService.Fault.NONE));
            env.candidate().inject(SampleService.Fault.NONE);
        }
    }
}
