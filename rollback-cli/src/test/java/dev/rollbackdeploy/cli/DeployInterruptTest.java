package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C and a CI abort send) in the middle of a canary, against the real CLI process. */
@ExtendWith(SharedDrillEnvironment.class)
class DeployInterruptTest {

    @TempDir
    Path dir;

    @Test
    void aSignalMidCanaryPutsTrafficBackOnStableRecordsTheAbortAndLeavesNoLock(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();
        Path spec = VmSpecText.write(dir.resolve("deploy.yaml"), 42, socket, env.prometheus().baseUrl(),
                "interval: 1s, maxDuration: 120s, healthyErrorRate: 0.001, minimumEffect: 2", "steps: [50, 100]");
        Path store = dir.resolve("records");
        Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RollbackCli.class.getName(), "deploy", "--store", store.toString(),
                "--spec", spec.toString()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch atFifty = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains("canary weight 50% (canary share 50%) confirmed")) {
                        atFifty.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.start();
        try {
            assertThat(atFifty.await(60, TimeUnit.SECONDS)).as("the canary reached 50%%: %s", lines).isTrue();
            HAProxyTrafficRouter router = new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND,
                    DrillEnvironment.STABLE_SERVERS, DrillEnvironment.CANARY_SERVERS),
                    List.of(new RuntimeApiClient(socket, Duration.ofSeconds(2))));
            assertThat(router.canaryWeight()).isEqualTo(Weight.of(50));

            // SIGTERM; Process.destroy() would also close our end of its output, losing its last words.
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(cli.pid())).start().waitFor()).isZero();

            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("the CLI stopped: %s", lines).isTrue();
            reader.join(5000);
            assertThat(router.canaryWeight()).as(String.join("\n", lines)).isEqualTo(Weight.NONE);
            assertThat(String.join("\n", lines)).contains("interrupted: putting all new requests back on stable")
                    .contains("traffic is on stable, confirmed on every load balancer")
                    .contains("recorded shop#42 as ABORTED");
            DeploymentRecord record = new FileRecordStore(store).load(BuildRef.parse("shop#42"));
            assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
            assertThat(record.outcome().reason()).contains("interrupted by a signal");
            assertThat(record.manifests().objects()).singleElement().satisfies(o ->
                    assertThat(o.canonicalJson()).contains("\"canary\":{\"canary1\":0}"));
            assertThat(new FileTargetLock(LockOption.locksDir(store)).holder("shop-vms")).as("no lock left").isEmpty();
        } finally {
            cli.destroyForcibly();
        }
    }
}
