package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.VmRecords;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 item 6: re-running `deploy` of a build already recorded is decided before any write. */
@ExtendWith(SharedDrillEnvironment.class)
class DeployRetryTest {

    @TempDir
    Path dir;

    @Test
    void redeployingARecordedBuildIsANoOpWhenLiveAndARefusalOtherwiseWithoutAnyWrite(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND,
                DrillEnvironment.STABLE_SERVERS, DrillEnvironment.CANARY_SERVERS),
                List.of(new RuntimeApiClient(socket, Duration.ofSeconds(2))));
        Path store = dir.resolve("records");
        new FileRecordStore(store).save(VmRecords.baseline(BuildRef.parse("shop#41"),
                URI.create("https://ci.example.com/job/shop/41/"), "test", new Target.HAProxy("shop-vms",
                        List.of(VmRecords.endpoint(socket)), "app", "local-sockets"),
                new StrategySpec(StrategyKind.CANARY, Map.of()), new HAProxyCluster(router).observe().objects(),
                Instant.now()));
        Path spec = VmSpecText.write(dir.resolve("deploy.yaml"), 41, socket, env.prometheus().baseUrl(),
                "interval: 1s, maxDuration: 60s", "steps: [10, 50, 100]");

        CliRun retried = CliRun.of(Clock.systemUTC(), "deploy", "--store", store.toString(), "--spec", spec.toString());

        assertThat(retried.exit()).as(retried.err()).isZero();
        assertThat(retried.out()).contains("shop#41: ALREADY_LIVE");
        assertThat(retried.err()).contains("already deployed").contains("0 writes").doesNotContain("confirmed");
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);

        CliRun inSync = CliRun.of(Clock.systemUTC(), "--json", "status", "--store", store.toString(), "--target", "shop-vms");
        assertThat(inSync.exit()).as(inSync.err()).isZero();
        assertThat(inSync.out()).contains("\"inSync\" : true").contains("\"against\" : \"shop#41\"");

        router.setCanaryWeight(Weight.of(25)); // someone moved traffic: live no longer equals the record
        CliRun drifted = CliRun.of(Clock.systemUTC(), "status", "--store", store.toString(), "--target", "shop-vms");
        assertThat(drifted.exit()).as(drifted.err()).isZero();
        assertThat(drifted.out()).contains("DRIFT: live differs from the record of shop#41").contains("spec.canary.canary1");
        CliRun refused = CliRun.of(Clock.systemUTC(), "deploy", "--store", store.toString(), "--spec", spec.toString());

        assertThat(refused.exit()).as(refused.err()).isEqualTo(6);
        assertThat(refused.err()).contains("shop#41 was already deployed to shop-vms").contains("rollback --to shop#41")
                .doesNotContain("Exception");
        assertThat(router.canaryWeight()).as("no write").isEqualTo(Weight.of(25));
        assertThat(new dev.rollbackdeploy.lock.FileTargetLock(LockOption.locksDir(store)).holder("shop-vms")).isEmpty();
    }
}
