package dev.rollbackdeploy.rollout;

import static dev.rollbackdeploy.gate.GateDecision.Outcome.HOLD;
import static dev.rollbackdeploy.gate.GateDecision.Outcome.PROMOTE;
import static dev.rollbackdeploy.gate.GateDecision.Outcome.ROLLBACK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressionTest {

    private static final RolloutSpec CANARY = RolloutSpec.canary(List.of(
            weight(10), new RolloutStep.Pause(Duration.ofMinutes(1)), new RolloutStep.Gate("errors", Duration.ofMinutes(5)),
            weight(25), new RolloutStep.Gate("errors", Duration.ofMinutes(5)),
            weight(50), new RolloutStep.PauseUntilPromoted(),
            weight(100)));

    private static RolloutStep weight(int percent) {
        return new RolloutStep.SetWeight(Weight.of(percent));
    }

    @ParameterizedTest(name = "restart before every call: {0}")
    @ValueSource(booleans = {false, true})
    void healthyCanaryWalksEveryStepAndIsPromoted(boolean restartEveryCall) {
        Shell shell = new Shell(CANARY, List.of(PROMOTE, HOLD, PROMOTE), restartEveryCall).run();

        assertThat(shell.log).containsExactly("weight 10%", "wait", "gate errors", "weight 25%", "gate errors",
                "gate errors", "weight 50%", "wait for a person", "weight 100%", "done PROMOTED");
        assertThat(shell.state.phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void aRunRestartedBeforeEveryCallEndsExactlyAsAnUninterruptedOne() {
        List<GateDecision.Outcome> answers = List.of(PROMOTE, HOLD, ROLLBACK);
        Shell straight = new Shell(CANARY, answers, false).run();
        Shell restarted = new Shell(CANARY, answers, true).run();

        assertThat(restarted.log).isEqualTo(straight.log);
        assertThat(restarted.state).isEqualTo(straight.state);
    }

    @Test
    void gateRollbackPutsTrafficOnStableBeforeAnythingElse() {
        Shell shell = new Shell(CANARY, List.of(PROMOTE, ROLLBACK), false).run();

        List<String> afterVerdict = shell.log.subList(shell.log.lastIndexOf("gate errors") + 1, shell.log.size());
        assertThat(afterVerdict).containsExactly("EnsureStableReady", "weight 0%", "wait", "ScaleDownCanary", "done ABORTED");
        assertThat(shell.state.abortReason()).startsWith("the gate said roll back");
    }

    @Test
    void aRepeatedAbortKeepsTheFirstAbortTimeAndReason() {
        Shell shell = new Shell(CANARY, List.of(ROLLBACK), false);
        shell.call(); // weight 10%, pause
        shell.call(); // gate
        shell.call(); // the gate's ROLLBACK: abort begins, traffic write asked for
        Instant firstAbort = shell.state.firstAbortAt();
        assertThat(shell.state.phase()).isEqualTo(Phase.ABORTING);

        // The traffic write failed; the shell retries later and a person also presses abort.
        shell.now = shell.now.plusSeconds(5);
        Decision retry = Progression.next(CANARY, shell.state, Observation.intentFailed("connection reset"), shell.now);
        Decision again = Progression.next(CANARY, retry.state(), Observation.command(Observation.Command.ABORT), shell.now);

        assertThat(retry.intents()).containsExactly(new Intent.EnsureStableReady(), new Intent.SetCanaryWeight(Weight.NONE));
        assertThat(again.state().firstAbortAt()).isEqualTo(firstAbort);
        assertThat(again.state().abortReason()).startsWith("the gate said roll back");
    }

    @Test
    void aGateThatHoldsPastItsMaximumAbortsToTheSafeSide() {
        Shell shell = new Shell(CANARY, Collections.nCopies(100, HOLD), false).run();

        assertThat(shell.state.phase()).isEqualTo(Phase.ABORTED);
        assertThat(shell.state.abortReason()).contains("gate errors did not pass within PT5M");
    }

    @Test
    void aBrokenTargetEndsFailedNotAborted() {
        Shell shell = new Shell(CANARY, List.of(), false);
        shell.call();
        shell.next = Observation.workloadFailed("ImagePullBackOff: manifest unknown");
        shell.run();

        assertThat(shell.state.phase()).isEqualTo(Phase.FAILED);
        assertThat(shell.log).endsWith("done FAILED");
    }

    @Test
    void sameInputsGiveTheSameDecision() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        RolloutState state = RolloutState.start();

        assertThat(Progression.next(CANARY, state, Observation.started(), now))
                .isEqualTo(Progression.next(CANARY, state, Observation.started(), now));
    }

    @Test
    void blueGreenSwitchesOnceAndScalesThePreviousDownAfterTheWindow() {
        RolloutSpec spec = RolloutSpec.blueGreen(List.of(new RolloutStep.Gate("errors", Duration.ofMinutes(1))));

        Shell shell = new Shell(spec, List.of(PROMOTE), false).run();

        assertThat(shell.log).containsExactly("gate errors", "switch to PREVIEW", "wait", "ScaleDownPrevious", "done PROMOTED");
    }

    @Test
    void blueGreenRollbackInsideTheWarmWindowIsOneSwitch() {
        RolloutSpec spec = RolloutSpec.blueGreen(List.of());
        Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
        Decision promoted = Progression.next(spec, RolloutState.start(), Observation.started(), t0);

        Decision back = Progression.next(spec, promoted.state(), Observation.command(Observation.Command.ABORT), t0.plusSeconds(10));

        assertThat(back.intents()).containsExactly(new Intent.SwitchActive(Intent.Side.PREVIOUS),
                new Intent.Done(Phase.ROLLED_BACK, "aborted by a person; switched back to the still-warm previous version"));
    }

    @Test
    void blueGreenRollbackAfterTheWindowRestoresFromTheRecord() {
        RolloutSpec spec = RolloutSpec.blueGreen(List.of());
        Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
        Decision promoted = Progression.next(spec, RolloutState.start(), Observation.started(), t0);
        Decision scaledDown = Progression.next(spec, promoted.state(), Observation.done(), t0.plusSeconds(31));

        Decision back = Progression.next(spec, scaledDown.state(), Observation.command(Observation.Command.ABORT), t0.plusSeconds(60));

        assertThat(back.intents().get(0)).isEqualTo(new Intent.RestorePreviousRecord());
        assertThat(back.state().phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    @Test
    void terminalPhasesGiveNoIntents() {
        Shell shell = new Shell(CANARY, List.of(ROLLBACK), false).run();

        assertThat(Progression.next(CANARY, shell.state, Observation.command(Observation.Command.PROMOTE), shell.now).intents())
                .isEmpty();
    }
}
