package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.local.LocalFlagWebhook;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.local.LocalUnleash;
import dev.rollbackdeploy.local.UnleashAdmin;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch as the deploy's abort path, against a real Unleash (on a real PostgreSQL) and a real
 * HAProxy: stopping a canary turns the release's flag off first, then puts traffic back on stable, and
 * the record shows the flag's change; a flag that does not exist refuses the deploy at the door. In
 * instead-of-traffic mode the gate's rollback and a stop turn the flag off and leave the canary its
 * share; a flag service that is down (a webhook store served by the test) sends traffic back anyway.
 * The gate looks at a Prometheus that is not there: it cannot see the canary and rolls back to be safe.
 */
class KillSwitchDeployTest {

    private static LocalPostgres postgres;
    private static LocalUnleash unleash;
    private static LocalHAProxy haproxy;
    private static UnleashAdmin flags;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = LocalPostgres.start();
        unleash = LocalUnleash.start(postgres, "unleash");
        flags = new UnleashAdmin(unleash);
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("stable1", 1, 100),
                new LocalHAProxy.Server("canary1", 2, 0)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {haproxy, unleash, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    @Test
    void abortTurnsTheFlagOffBeforeTrafficMovesAndTheRecordShowsIt() throws Exception {
        String flag = flags.createOn();
        HAProxyTrafficRouter router = router();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<Weight> canaryWhenFlagWentOff = new ArrayList<>();
        Progress progress = line -> {
            log.add(line);
            if (line.startsWith("kill switch:")) {
                try {
                    canaryWhenFlagWentOff.add(router.canaryWeight());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Deployment deployment = Deployment.of(spec(42), context(progress)).withSafety(safety(flag));

        DeployState state = deployment.begin();
        router.setCanaryWeight(Weight.of(25)); // mid-rollout: a quarter of the traffic on the canary
        Deployment.Finished finished = deployment.stop(state, "stopped by an operator");

        assertThat(canaryWhenFlagWentOff).as("the canary's share when the flag went off: traffic not yet moved")
                .containsExactly(Weight.of(25));
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(flags.enabledInProduction(flag)).as("read back from Unleash").isFalse();
        DeploymentRecord record = context(progress).records().load(new BuildRef("shop", 42));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.safety().flagsJson().orElseThrow().toString()).contains(
                "{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}", "environment production");
        assertThat(finished.status()).isEqualTo(Deployment.Status.ABORTED);
    }

    @Test
    void aFlagThatDoesNotExistRefusesTheDeployBeforeAnythingChanges() throws Exception {
        String flag = flags.createOn();
        Deployment deployment = Deployment.of(spec(43), context(line -> { })).withSafety(
                new SafetyFields().flags("unleash", unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production",
                        List.of(flag, "no-such-flag")).toSafety("test"));

        assertThatThrownBy(deployment::begin).isInstanceOfSatisfying(OperationException.class,
                e -> assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID))
                .hasMessageContaining("flag 'no-such-flag' does not exist").hasMessageContaining("nothing was changed");

        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(context(line -> { }).records().list("shop-vms")).isEmpty();
        assertThat(new FileTargetLock(context(line -> { }).locks()).holder("shop-vms")).isEmpty();
    }

    @Test
    void aDeployRecordsTheSchemaDeclaredAndTheFlagStates() throws Exception {
        String flag = flags.createOn();
        Deployment deployment = Deployment.of(spec(44), context(line -> { })).withSafety(new SafetyFields()
                .schema("3", "2", null)
                .flags("unleash", unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production", List.of(flag))
                .toSafety("test"));
        DeploymentRecord record = deployment.stop(deployment.begin(), "nothing to roll out").record();

        assertThat(record.safety().schemaJson().orElseThrow().toString())
                .isEqualTo("{\"compatibleFrom\":\"2\",\"compatibleTo\":\"3\",\"ranWith\":\"3\",\"source\":\"DECLARED\"}");
        assertThat(record.safety().flagsJson().orElseThrow().toString()).contains("\"flag\":\"" + flag + "\"");
    }

    @Test
    void insteadOfTrafficTheGatesRollbackTurnsTheFlagOffAndTheCanaryKeepsItsShare() throws Exception {
        String flag = flags.createOn();
        HAProxyTrafficRouter router = router();
        router.setCanaryWeight(Weight.NONE);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Deployment.Finished finished;
        try (Deployment deployment = Deployment.of(spec(46), context(log::add)).withSafety(new SafetyFields()
                .flags("unleash", unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production", List.of(flag))
                .flagsMode("instead-of-traffic").toSafety("test"))) {
            finished = deployment.runToEnd(state -> { });
        }

        String said = String.join("\n", log);
        assertThat(router.canaryWeight()).as("HAProxy still gives the canary its step's weight\n" + said)
                .isEqualTo(Weight.of(25));
        assertThat(flags.enabledInProduction(flag)).as("read back from Unleash").isFalse();
        assertThat(finished.status()).isEqualTo(Deployment.Status.ABORTED);
        DeploymentRecord record = context(log::add).records().load(new BuildRef("shop", 46));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(record.outcome().reason()).contains("the gate said roll back", "INSTEAD of moving traffic",
                "still carries 25%");
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}");
        assertThat(record.manifests()).as("the split as read back").isEqualTo(new HAProxyCluster(router).observe().objects());
        assertThat(log).noneMatch(l -> l.contains("canary share 0%") || l.contains("FAILED"));
        AuditEntry abort = lastEntry();
        assertThat(abort.event().action()).isEqualTo(AuditAction.ABORT);
        assertThat(abort.event().evidence()).startsWith("kill switch: flags in unleash").contains(flag + " on -> off",
                "instead of moving traffic");
        router.setCanaryWeight(Weight.NONE);
    }

    @Test
    void insteadOfTrafficAStopTurnsTheFlagOffAndMovesNoTraffic() throws Exception {
        String flag = flags.createOn();
        HAProxyTrafficRouter router = router();
        Deployment deployment = Deployment.of(spec(47), context(line -> { })).withSafety(new SafetyFields()
                .flags("unleash", unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production", List.of(flag))
                .flagsMode("instead-of-traffic").toSafety("test"));
        DeployState state = deployment.begin();
        router.setCanaryWeight(Weight.of(25));

        Deployment.Finished finished = deployment.stop(state, "stopped by an operator");

        assertThat(router.canaryWeight()).isEqualTo(Weight.of(25));
        assertThat(flags.enabledInProduction(flag)).isFalse();
        assertThat(finished.status()).isEqualTo(Deployment.Status.ABORTED);
        assertThat(finished.record().outcome().reason()).startsWith("stopped by an operator; the kill switch")
                .contains("still carries 25%").doesNotContain("put back on stable");
        router.setCanaryWeight(Weight.NONE);
    }

    @Test
    void insteadOfTrafficWithTheFlagServiceDownTrafficGoesBackToStableAndTheRecordSaysWhy() throws Exception {
        HAProxyTrafficRouter router = router();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (LocalFlagWebhook flagService = new LocalFlagWebhook(new ArrayList<>())) {
            flagService.set("new-checkout", true);
            Deployment deployment = Deployment.of(spec(48), context(log::add)).withSafety(new SafetyFields()
                    .flags("webhook", flagService.url(), null, null, null, List.of("new-checkout"))
                    .flagsMode("instead-of-traffic").toSafety("test"));
            DeployState state = deployment.begin();
            router.setCanaryWeight(Weight.of(25));
            flagService.down(true);

            Deployment.Finished finished = deployment.stop(state, "stopped by an operator");

            assertThat(router.canaryWeight()).as(String.join("\n", log)).isEqualTo(Weight.NONE);
            assertThat(flagService.enabled("new-checkout")).isTrue();
            assertThat(finished.status()).isEqualTo(Deployment.Status.ABORTED);
            assertThat(finished.record().outcome().reason()).contains("traffic put back on stable",
                    "kill switch FAILED", "HTTP 503", "traffic moved back to stable");
            assertThat(log).anyMatch(l -> l.startsWith("WARNING: the kill switch could not turn the flags off"));
            assertThat(lastEntry().event().evidence()).startsWith("kill switch FAILED");
        }
    }

    private AuditEntry lastEntry() throws Exception {
        List<AuditEntry> entries = AuditLog.besideStore(dir.resolve("records")).read();
        return entries.get(entries.size() - 1);
    }

    private DeploySafety safety(String flag) throws InvalidSpecException {
        return new SafetyFields().flags("unleash", unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production",
                List.of(flag)).toSafety("test");
    }

    private OperationContext context(Progress progress) {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), progress);
    }

    private static DeploymentSpec spec(int build) throws InvalidSpecException {
        return DeploymentSpec.builder().build("shop#" + build).buildUrl("https://ci.example.com/job/shop/" + build + "/")
                .targetKey("shop-vms")
                .haproxySockets(List.of(haproxy.adminSocket().toString())).haproxyBackend(LocalHAProxy.BACKEND)
                .stableServers(List.of("stable1")).canaryServers(List.of("canary1"))
                .prometheus("http://127.0.0.1:9/").steps(List.of(25, 100)).interval("1s").maxDuration("30s").toSpec("test");
    }

    private static HAProxyTrafficRouter router() {
        try {
            return VmTargets.router(spec(1));
        } catch (InvalidSpecException e) {
            throw new IllegalStateException(e);
        }
    }

}
