package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.operations.DeployState;
import dev.rollbackdeploy.operations.Deployment;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.InvalidSpecException;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door's deploy against a real HAProxy and Prometheus on loopback, as a Jenkins step would
 * drive it. Lives here because the drill's environment (sample service, load) is here.
 */
class FrontDoorDeploymentTest {

    private static DrillEnvironment env;

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        env = DrillEnvironment.start("v1", "v2", 200, line -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    @BeforeEach
    void onStable() throws Exception {
        router().setCanaryWeight(Weight.NONE);
    }

    private static HAProxyTrafficRouter router() {
        return new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(env.haproxy().adminSocket().toString(),
                Duration.ofSeconds(2))));
    }

    private DeploymentSpec spec(String build) throws InvalidSpecException {
        return DeploymentSpec.builder().build(build).buildUrl("https://ci.example.com/job/shop/1/").targetKey("shop-vms")
                .haproxySockets(List.of(env.haproxy().adminSocket().toString())).haproxyBackend(LocalHAProxy.BACKEND)
                .stableServers(DrillEnvironment.STABLE_SERVERS).canaryServers(DrillEnvironment.CANARY_SERVERS)
                .prometheus(env.prometheus().baseUrl()).steps(List.of(10, 50, 100)).interval("1s").maxDuration("60s")
                .toSpec("test");
    }

    private OperationContext context() {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), lines::add);
    }

    @Test
    void aDeploymentResumedRoundAfterRoundInFreshObjectsRepeatsNoWriteAndRecordsOnce() throws Exception {
        DeploymentSpec spec = spec("shop#42");
        String saved;
        try (Deployment first = Deployment.of(spec, context())) {
            saved = first.begin().encode();
        }
        Deployment.Finished finished = null;
        for (int round = 0; round < 500 && finished == null; round++) {
            // A controller restart between every two rounds: only the string survives.
            try (Deployment fresh = Deployment.of(spec, context())) {
                Deployment.Round r = fresh.advance(DeployState.decode(saved));
                saved = r.state().encode();
                assertThat(saved.length()).as("persisted state, bytes").isLessThanOrEqualTo(10_000);
                if (r.isFinished()) {
                    finished = r.finished();
                } else {
                    Duration left = Duration.between(Clock.systemUTC().instant(), r.callAgainAt());
                    Thread.sleep(Math.max(0, left.toMillis()));
                }
            }
        }

        assertThat(finished).as(String.join("\n", lines)).isNotNull();
        assertThat(finished.status()).as(String.join("\n", lines)).isEqualTo(Deployment.Status.PROMOTED);
        assertThat(DeployState.decode(saved).run().weights()).extracting(w -> w.percent()).containsExactly(10, 50, 100);
        assertThat(router().canaryWeight()).isEqualTo(Weight.ALL);
        DeploymentRecord record = new FileRecordStore(dir.resolve("records")).load(BuildRef.parse("shop#42"));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.PROMOTED);
        assertThat(record.gateEvidence()).isNotEmpty();
        assertThat(new FileTargetLock(OperationContext.locksNextTo(dir.resolve("records"))).holder("shop-vms")).isEmpty();
    }

    @Test
    void stopPutsAllTrafficOnStableFirstThenRecordsTheAbortAndLeavesNoLock() throws Exception {
        DeploymentSpec spec = spec("shop#43");
        try (Deployment deployment = Deployment.of(spec, context())) {
            DeployState state = deployment.begin();
            Deployment.Round round = deployment.advance(state);
            assertThat(router().canaryWeight()).isEqualTo(Weight.of(10));

            Deployment.Finished stopped = deployment.stop(round.state(), "aborted by a person in Jenkins");

            assertThat(router().canaryWeight()).isEqualTo(Weight.NONE);
            assertThat(stopped.status()).isEqualTo(Deployment.Status.ABORTED);
            assertThat(stopped.record().outcome().reason()).contains("aborted by a person in Jenkins")
                    .contains("traffic put back on stable");
            assertThat(deployment.advance(round.state()).finished()).as("a stopped run stays stopped").isEqualTo(stopped);
        }
        assertThat(router().canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(new FileTargetLock(OperationContext.locksNextTo(dir.resolve("records"))).holder("shop-vms")).isEmpty();
    }
}
