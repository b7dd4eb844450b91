package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A defect in a round (CI once saw the error-ratio judge throw on Prometheus counts sampled apart) must never
 * leave a canary serving: the front door puts traffic back on stable, records the rollout ABORTED with the
 * error, and gives up the lock. Real HAProxy; the spec's own target, wrapped to throw on its second round.
 */
class DeployDefectTest {

    private static LocalHAProxy haproxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("stable1", 1, 100),
                new LocalHAProxy.Server("canary1", 2, 0)));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void aRoundThatThrowsPutsTrafficBackOnStableAndRecordsTheError() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        DeploymentSpec spec = spec(42);
        OperationContext context = context(lines);
        HAProxyTrafficRouter router = VmTargets.router(spec);

        Deployment.Round round;
        try (Deployment deployment = Deployment.through(spec, context,
                new ThrowsOnSecondRound(Deployment.targetOf(spec, context)))) {
            DeployState state = deployment.begin();
            round = deployment.advance(state);
            assertThat(router.canaryWeight()).as("the first round shifted traffic").isEqualTo(Weight.of(25));
            round = deployment.advance(round.state());
        }

        assertThat(round.isFinished()).isTrue();
        assertThat(round.finished().status()).isEqualTo(Deployment.Status.ABORTED);
        assertThat(round.finished().reason()).contains("failed unexpectedly", "counts sampled apart",
                "traffic put back on stable");
        assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
        DeploymentRecord record = context.records().load(BuildRef.parse("shop#42"));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(context.targetLocks().holder("shop-vms")).as("the lock is given up").isEmpty();
        assertThat(lines).anyMatch(l -> l.contains("putting traffic back on stable"));
    }

    @Test
    void aCanaryThatAlreadyCarriesTrafficBeforeTheRolloutIsSaid() throws Exception {
        // Fixed pools: after a promotion the canary servers carry everything; a build put on them next serves
        // that share ungated until the first step. Said before the first write, naming the servers and share.
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        DeploymentSpec spec = spec(43);
        OperationContext context = context(lines);
        HAProxyTrafficRouter router = VmTargets.router(spec);
        router.setCanaryWeight(Weight.ALL);
        try (Deployment deployment = Deployment.of(spec, context)) {
            deployment.stop(deployment.begin(), "test over");
        } finally {
            router.setCanaryWeight(Weight.NONE);
        }

        assertThat(lines).anyMatch(l -> l.startsWith("WARNING: the canary servers [canary1] already carry 100%")
                && l.contains("swap stable and canary"));

        lines.clear();
        DeploymentSpec next = spec(44);
        try (Deployment deployment = Deployment.of(next, context)) {
            deployment.stop(deployment.begin(), "test over");
        }
        assertThat(lines).as("at weight 0 nothing to say").noneMatch(l -> l.contains("already carry"));
    }

    private OperationContext context(List<String> lines) {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), lines::add);
    }

    private static DeploymentSpec spec(int build) throws InvalidSpecException {
        return DeploymentSpec.builder().build("shop#" + build).buildUrl("https://ci.example.com/job/shop/" + build + "/")
                .targetKey("shop-vms").haproxySockets(List.of(haproxy.adminSocket().toString()))
                .haproxyBackend(LocalHAProxy.BACKEND).stableServers(List.of("stable1")).canaryServers(List.of("canary1"))
                .prometheus("http://127.0.0.1:9/").steps(List.of(25, 100)).interval("1s").maxDuration("30s").toSpec("test");
    }

    /** The spec's own target, whose second advance throws as a defect would. */
    private record ThrowsOnSecondRound(TargetDeploy target, int[] rounds) implements TargetDeploy {

        ThrowsOnSecondRound(TargetDeploy target) {
            this(target, new int[1]);
        }

        @Override
        public Round advance(DeployState state, Instant now) throws IOException, InterruptedException, OperationException {
            if (++rounds[0] == 2) {
                throw new IllegalArgumentException("errors cannot exceed requests (counts sampled apart)");
            }
            return target.advance(state, now);
        }

        @Override
        public void checkBeforeLock() throws OperationException, InterruptedException {
            target.checkBeforeLock();
        }

        @Override
        public void validate() throws OperationException, InterruptedException {
            target.validate();
        }

        @Override
        public boolean liveEquals(DeploymentRecord record) throws IOException, InterruptedException {
            return target.liveEquals(record);
        }

        @Override
        public DriftReport drift(DeploymentRecord previous) throws IOException, InterruptedException {
            return target.drift(previous);
        }

        @Override
        public java.util.Optional<String> warningBeforeStart() throws IOException, InterruptedException {
            return target.warningBeforeStart();
        }

        @Override
        public DeployState start(BuildRef build, Instant startedAt, BuildRef previous, String alreadyLive) {
            return target.start(build, startedAt, previous, alreadyLive);
        }

        @Override
        public String stopOnStable() throws IOException, InterruptedException {
            return target.stopOnStable();
        }

        @Override
        public String trafficNow() throws IOException, InterruptedException {
            return target.trafficNow();
        }

        @Override
        public DeploymentRecord record(DeployState state, RolloutState end, Instant finishedAt, String actor)
                throws IOException, InterruptedException {
            return target.record(state, end, finishedAt, actor);
        }

        @Override
        public String stableName() {
            return target.stableName();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
