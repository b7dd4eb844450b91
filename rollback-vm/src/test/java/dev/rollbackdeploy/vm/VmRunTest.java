package dev.rollbackdeploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.MetricSpec;
import dev.rollbackdeploy.gate.PromQlTemplate;
import dev.rollbackdeploy.gate.ThresholdJudge;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The round-by-round run on fixed instants: no sleeping, no real servers. */
class VmRunTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final HAProxyBackend BACKEND = new HAProxyBackend("app", List.of("stable1"), List.of("canary1"));
    private static final GateSpec LOW_ERRORS = GateSpec.of(List.of(new MetricSpec.Threshold("errors",
            new PromQlTemplate("errors"), ThresholdJudge.atMost(0.05))), Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final List<String> lines = new ArrayList<>();

    /** Runs rounds at the instants they ask for; {@code persist} sends the state through its string form each time. */
    private VmRunState runToEnd(RolloutSpec spec, FakeTarget target, GateSpec gate, GateSpec afterSwitch, boolean persist)
            throws Exception {
        VmRunState state = VmRunState.start();
        Instant now = T0;
        for (int round = 0; round < 1000; round++) {
            VmRun run = new VmRun(spec, target, target, gate, afterSwitch, Map.of(), lines::add);
            VmRun.Round r = run.advance(state, now);
            state = persist ? VmRunState.decode(r.state().encode()) : r.state();
            if (r.finished()) {
                return state;
            }
            assertThat(r.callAgainAt()).as("a round never asks to be called in the past").isAfterOrEqualTo(now);
            now = r.callAgainAt().equals(now) ? now : r.callAgainAt();
        }
        throw new AssertionError("no end after 1000 rounds: " + lines);
    }

    @Test
    void resumingFromThePersistedStateInAFreshObjectRepeatsNoWrite() throws Exception {
        RolloutSpec canary = HAProxyGate.canary(List.of(Weight.of(10), Weight.of(50), Weight.ALL), Duration.ofSeconds(30));
        FakeTarget straight = new FakeTarget((q, at) -> 0.0);
        FakeTarget resumed = new FakeTarget((q, at) -> 0.0);

        VmRunState once = runToEnd(canary, straight, LOW_ERRORS, null, false);
        VmRunState persisted = runToEnd(canary, resumed, LOW_ERRORS, null, true);

        assertThat(once.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(persisted.rollout()).isEqualTo(once.rollout());
        assertThat(resumed.writes).containsExactly(Weight.of(10), Weight.of(50), Weight.ALL).isEqualTo(straight.writes);
        assertThat(resumed.queries).isEqualTo(straight.queries);
    }

    @Test
    void aRoundBeforeItsWakeTimeDoesNothing() throws Exception {
        RolloutSpec canary = HAProxyGate.canary(List.of(Weight.of(10), Weight.ALL), Duration.ofSeconds(30));
        FakeTarget target = new FakeTarget((q, at) -> 0.0);
        VmRun run = new VmRun(canary, target, target, LOW_ERRORS, null, Map.of(), lines::add);

        VmRun.Round first = run.advance(VmRunState.start(), T0);
        VmRun.Round early = run.advance(first.state(), T0.plusMillis(500));

        assertThat(first.callAgainAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(early.state()).isEqualTo(first.state());
        assertThat(target.writes).containsExactly(Weight.of(10));
        assertThat(target.queries).isZero();
    }

    @Test
    void theWarmWindowKeepsLookingAfterAPassAndSwitchesBackOnALaterFailure() throws Exception {
        GateSpec afterSwitch = HAProxyGate.afterSwitch(BACKEND, 0.05, 10, Duration.ofSeconds(1), Duration.ofSeconds(10));
        FakeTarget target = new FakeTarget((q, at) -> at.isAfter(T0.plusSeconds(3)) ? 0.5 : 0.0);

        VmRunState end = runToEnd(HAProxyGate.blueGreen(Duration.ofSeconds(10)), target, null, afterSwitch, true);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(target.writes).containsExactly(Weight.ALL, Weight.NONE);
        assertThat(end.verdictAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(end.rollout().abortReason()).contains("new-version-error-rate");
    }

    @Test
    void aHealthyWarmWindowIsWatchedToItsEndThenKept() throws Exception {
        GateSpec afterSwitch = HAProxyGate.afterSwitch(BACKEND, 0.05, 10, Duration.ofSeconds(1), Duration.ofSeconds(5));
        FakeTarget target = new FakeTarget((q, at) -> 0.0);

        VmRunState end = runToEnd(HAProxyGate.blueGreen(Duration.ofSeconds(5)), target, null, afterSwitch, true);

        assertThat(end.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(end.rollout().previousScaledDown()).isTrue();
        assertThat(target.writes).containsExactly(Weight.ALL);
        assertThat(target.queries).as("one look a second for the whole 5 s window").isEqualTo(5);
    }

    @Test
    void aFailedSwitchBackIsRetriedInTheNextRound() throws Exception {
        GateSpec afterSwitch = HAProxyGate.afterSwitch(BACKEND, 0.05, 10, Duration.ofSeconds(1), Duration.ofSeconds(10));
        FakeTarget target = new FakeTarget((q, at) -> 0.5) {
            @Override
            public synchronized void setCanaryWeight(Weight canary) throws java.io.IOException {
                if (canary.equals(Weight.NONE) && writes.size() == 1 && failingWrites++ < 2) {
                    throw new java.io.IOException("socket gone");
                }
                writes.add(canary);
            }
        };

        VmRunState end = runToEnd(HAProxyGate.blueGreen(Duration.ofSeconds(10)), target, null, afterSwitch, true);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(target.writes).containsExactly(Weight.ALL, Weight.NONE);
        assertThat(String.join("\n", lines)).contains("switch back to the previous version (retry)");
    }

    @Test
    void thePersistedStateStaysUnderTenKilobytesThroughALongGate() throws Exception {
        // A canary whose gate needs many looks: the error-ratio gate on 100 requests per look, stable as good as canary.
        GateSpec slow = HAProxyGate.errorRatio(BACKEND, 0.01, 10, Duration.ofSeconds(1), Duration.ofMinutes(5));
        FakeTarget target = new FakeTarget((q, at) -> {
            double seconds = Math.max(1, Duration.between(T0, at).toSeconds());
            boolean canary = q.contains("canary1");
            if (q.contains("5xx")) {
                return canary ? 0.0 : Math.floor(seconds / 10);
            }
            return canary ? seconds : seconds * 10;
        });
        RolloutSpec canary = HAProxyGate.canary(List.of(Weight.of(10), Weight.ALL), Duration.ofMinutes(5));
        VmRunState state = VmRunState.start();
        Instant now = T0;
        int largest = 0;
        for (int round = 0; round < 400 && !state.finished(); round++) {
            VmRun.Round r = new VmRun(canary, target, target, slow, null, Map.of(), lines::add).advance(state, now);
            state = VmRunState.decode(r.state().encode());
            largest = Math.max(largest, r.state().encode().length());
            now = r.finished() ? now : r.callAgainAt();
        }
        System.out.printf("persisted run state: at most %d bytes over %d looks%n", largest, state.looks());
        assertThat(state.looks()).as("the gate looked many times: %s", state.lastReason()).isGreaterThan(VmRunState.KEPT_EVIDENCE * 3);
        assertThat(largest).as("largest persisted state, bytes").isLessThanOrEqualTo(10_000);
    }
}
