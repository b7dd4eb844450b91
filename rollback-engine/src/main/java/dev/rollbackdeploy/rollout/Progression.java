package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout's "what next": a pure function of (spec, state, what the shell saw, now). It never
 * blocks and never reads a clock; the shell carries out the intents in order, keeps the state, and
 * calls again — at once, after a {@link Intent.WaitUntil}, or when a gate or a person has answered.
 * The same inputs always give the same decision, so a state restored after a restart continues
 * exactly where it was.
 *
 * <p>Aborting puts traffic on stable before anything else: first make sure stable is scaled up and
 * ready (so it is not swamped by 100% of the load — Argo Rollouts users report exactly that), then one
 * write moves all traffic to it, and only after {@code abortScaleDownDelay} is the canary scaled down.
 */
public final class Progression {

    private Progression() {
    }

    /** True when no call can lead anywhere any more, short of a rollback request after promotion. */
    public static boolean isFinished(RolloutSpec spec, RolloutState state) {
        return state.phase().isTerminal() || state.phase() == Phase.PROMOTED
                && (spec.strategy() == RolloutSpec.Strategy.CANARY || state.previousScaledDown());
    }

    public static Decision next(RolloutSpec spec, RolloutState state, Observation seen, Instant now) {
        Phase phase = state.phase();
        if (phase.isTerminal()) {
            return new Decision(state, List.of());
        }
        if (phase == Phase.ABORTING) {
            return continueAbort(spec, state, seen, now);
        }
        if (seen.intentFailed() != null && phase != Phase.PROMOTED) {
            return startAbort(spec, state, "a step could not be carried out: " + seen.intentFailed(), true, now);
        }
        String rollback = rollbackReason(seen);
        if (phase == Phase.PROMOTED) {
            return afterPromotion(spec, state, rollback, now);
        }
        if (rollback != null) {
            return startAbort(spec, state, rollback, seen.workloadFailed() != null, now);
        }
        return advance(spec, state, seen, now);
    }

    private static String rollbackReason(Observation seen) {
        if (seen.workloadFailed() != null) {
            return "the target cannot work: " + seen.workloadFailed();
        }
        if (seen.command() == Observation.Command.ABORT) {
            return "aborted by a person";
        }
        if (seen.gate() == GateDecision.Outcome.ROLLBACK) {
            return "the gate said roll back: " + seen.gateReason();
        }
        return null;
    }

    private static Decision advance(RolloutSpec spec, RolloutState state, Observation seen, Instant now) {
        List<Intent> intents = new ArrayList<>();
        RolloutState s = state.phase() == Phase.PENDING ? state.moveTo(Phase.PROGRESSING).atStep(0, now) : state;
        // A gate's or a person's answer is about the step under way when it was given, never a later one.
        boolean answerApplies = state.phase() != Phase.PENDING;
        while (s.stepIndex() < spec.steps().size()) {
            RolloutStep step = spec.steps().get(s.stepIndex());
            if (step instanceof RolloutStep.SetWeight set) {
                if (!set.weight().equals(s.canary())) {
                    intents.add(new Intent.SetCanaryWeight(set.weight()));
                    s = s.withCanary(set.weight());
                }
            } else if (step instanceof RolloutStep.Pause pause) {
                Instant until = s.stepStartedAt().plus(pause.duration());
                if (now.isBefore(until)) {
                    intents.add(new Intent.WaitUntil(until));
                    return new Decision(s.moveTo(Phase.PAUSED), intents);
                }
            } else if (step instanceof RolloutStep.PauseUntilPromoted) {
                if (!(answerApplies && seen.command() == Observation.Command.PROMOTE)) {
                    intents.add(new Intent.WaitUntil(null));
                    return new Decision(s.moveTo(Phase.PAUSED), intents);
                }
            } else if (step instanceof RolloutStep.Gate gate) {
                if (!(answerApplies && seen.gate() == GateDecision.Outcome.PROMOTE)) {
                    if (!now.isBefore(s.stepStartedAt().plus(gate.maxDuration()))) {
                        return startAbort(spec, s, "gate " + gate.name() + " did not pass within " + gate.maxDuration()
                                + (seen.gateReason() == null ? "" : ": " + seen.gateReason()), false, now);
                    }
                    intents.add(new Intent.RunGate(gate.name()));
                    return new Decision(s.moveTo(Phase.PROGRESSING), intents);
                }
            } else {
                throw new AssertionError(step);
            }
            s = s.moveTo(Phase.PROGRESSING).atStep(s.stepIndex() + 1, now);
            answerApplies = false;
        }
        return promote(spec, s, intents, now);
    }

    private static Decision promote(RolloutSpec spec, RolloutState s, List<Intent> intents, Instant now) {
        if (spec.strategy() == RolloutSpec.Strategy.CANARY) {
            if (!s.canary().equals(Weight.ALL)) {
                intents.add(new Intent.SetCanaryWeight(Weight.ALL));
                s = s.withCanary(Weight.ALL);
            }
            intents.add(new Intent.Done(Phase.PROMOTED, "every step passed; the canary takes all traffic"));
            return new Decision(s.promoted(now), intents);
        }
        intents.add(new Intent.SwitchActive(Intent.Side.PREVIEW));
        intents.add(new Intent.WaitUntil(now.plus(spec.scaleDownDelay())));
        return new Decision(s.promoted(now), intents);
    }

    private static Decision afterPromotion(RolloutSpec spec, RolloutState s, String rollback, Instant now) {
        boolean warm = spec.strategy() == RolloutSpec.Strategy.BLUE_GREEN && !s.previousScaledDown();
        if (rollback != null) {
            RolloutState back = s.moveTo(Phase.ROLLED_BACK);
            back = new RolloutState(back.phase(), back.stepIndex(), back.canary(), back.stepStartedAt(), now, rollback,
                    back.failure(), true, back.promotedAt(), back.previousScaledDown());
            return warm
                    ? new Decision(back, List.of(new Intent.SwitchActive(Intent.Side.PREVIOUS),
                            new Intent.Done(Phase.ROLLED_BACK, rollback + "; switched back to the still-warm previous version")))
                    : new Decision(back, List.of(new Intent.RestorePreviousRecord(),
                            new Intent.Done(Phase.ROLLED_BACK, rollback + "; the previous version is no longer warm: restored from its record")));
        }
        if (!warm) {
            return new Decision(s, List.of());
        }
        Instant scaleDownAt = s.promotedAt().plus(spec.scaleDownDelay());
        if (now.isBefore(scaleDownAt)) {
            return new Decision(s, List.of(new Intent.WaitUntil(scaleDownAt)));
        }
        return new Decision(s.withPreviousScaledDown(), List.of(new Intent.ScaleDownPrevious(),
                new Intent.Done(Phase.PROMOTED, "switched; the previous version was kept warm for " + spec.scaleDownDelay())));
    }

    private static Decision startAbort(RolloutSpec spec, RolloutState s, String reason, boolean failure, Instant now) {
        RolloutState aborting = s.aborting(reason, failure, now);
        List<Intent> intents = new ArrayList<>();
        intents.add(new Intent.EnsureStableReady());
        if (spec.strategy() == RolloutSpec.Strategy.CANARY) {
            intents.add(new Intent.SetCanaryWeight(Weight.NONE));
        }
        return new Decision(aborting, intents);
    }

    private static Decision continueAbort(RolloutSpec spec, RolloutState s, Observation seen, Instant now) {
        if (!s.trafficOnStable()) {
            if (!seen.intentsDone()) {
                // The traffic write failed or is unconfirmed: ask for it again; nothing else until it holds.
                return startAbort(spec, s, s.abortReason(), s.failure(), now);
            }
            s = s.withTrafficOnStable();
        }
        Instant scaleDownAt = s.firstAbortAt().plus(spec.abortScaleDownDelay());
        if (now.isBefore(scaleDownAt)) {
            return new Decision(s, List.of(new Intent.WaitUntil(scaleDownAt)));
        }
        Phase end = s.failure() ? Phase.FAILED : Phase.ABORTED;
        return new Decision(s.moveTo(end), List.of(new Intent.ScaleDownCanary(), new Intent.Done(end, s.abortReason())));
    }
}
