package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One look of a metrics gate as a pure function: spec, state, this look's measurements and the time in;
 * the next state and a decision with evidence out. The shell queries the {@link MetricSource}, calls
 * {@link #look}, persists {@link GateState#toMap()}, and acts on the decision.
 *
 * <p>Order of rules, first match wins: a guardrail failure, or a critical comparison failing beyond its
 * critical effect size, rolls back at once; more failed looks than
 * {@code failureLimit} roll back; more consecutive looks with a measurement error than
 * {@code consecutiveErrorLimit} roll back (a gate that cannot see must not promote, and holding forever
 * hides the outage); more inconclusive or no-data looks than {@code inconclusiveLimit} end by
 * {@code onInconclusive}; every metric passing promotes; reaching {@code maxDuration} without that ends
 * by {@code onInconclusive}, never PROMOTE; otherwise keep the weight and look again.
 */
public final class GateEvaluator {

    private GateEvaluator() {
    }

    /** The state to persist and the decision to act on. */
    public record Look(GateState state, GateDecision decision) {
    }

    /**
     * @param measurements per metric name, one measurement per query of {@link MetricSpec#queries()},
     *     in that order
     * @throws IllegalStateException when the gate has already finished
     */
    public static Look look(GateSpec spec, GateState state, Map<String, List<Measurement>> measurements, Instant now) {
        if (state.finished()) {
            throw new IllegalStateException("gate finished after " + state.looks() + " looks; start a new one to look again");
        }
        MetricReader reader = new MetricReader(spec, now);
        List<Evidence> evidence = new ArrayList<>();
        Map<String, ErrorRatioState> ratios = new HashMap<>(state.errorRatios());
        String failedAtOnce = null;
        boolean anyFail = false;
        boolean anyError = false;
        boolean anyInconclusive = false;
        boolean allPass = true;
        String firstProblem = null;
        for (MetricSpec metric : spec.metrics()) {
            MetricReader.Reading reading = reader.read(metric, measurements.get(metric.name()), state.errorRatio(metric.name()));
            evidence.add(reading.evidence());
            if (metric instanceof MetricSpec.ErrorRatio) {
                ratios.put(metric.name(), reading.ratioState());
            }
            Verdict verdict = reading.verdict();
            allPass &= verdict instanceof Verdict.Pass;
            if (verdict instanceof Verdict.Fail) {
                anyFail = true;
                if (reading.failsAtOnce() && failedAtOnce == null) {
                    failedAtOnce = (metric instanceof MetricSpec.Threshold ? "guardrail crossed: " : "critical metric failed: ")
                            + metric.name() + ": " + verdict.reason();
                }
            } else if (verdict instanceof Verdict.Error) {
                anyError = true;
            } else if (verdict instanceof Verdict.NoData
                    || verdict instanceof Verdict.Inconclusive i && !i.accumulating()) {
                anyInconclusive = true;
            }
            if (!(verdict instanceof Verdict.Pass) && firstProblem == null) {
                firstProblem = metric.name() + ": " + verdict.reason();
            }
        }
        int failures = state.failures() + (anyFail ? 1 : 0);
        int errors = anyError ? state.consecutiveErrors() + 1 : 0;
        int inconclusives = state.inconclusives() + (anyInconclusive ? 1 : 0);
        Instant firstFailure = state.firstFailureAt() == null && anyFail ? now : state.firstFailureAt();
        int looks = state.looks() + 1;
        Duration elapsed = Duration.between(state.startedAt(), now);

        GateDecision decision;
        if (failedAtOnce != null) {
            decision = GateDecision.rollback(failedAtOnce, evidence);
        } else if (failures > spec.failureLimit()) {
            decision = GateDecision.rollback(failures + " failed looks (limit " + spec.failureLimit() + "): " + firstProblem, evidence);
        } else if (errors > spec.consecutiveErrorLimit()) {
            decision = GateDecision.rollback(errors + " consecutive looks with measurement errors (limit "
                    + spec.consecutiveErrorLimit() + "): cannot see the canary, rolling back to be safe; " + firstProblem, evidence);
        } else if (inconclusives > spec.inconclusiveLimit()) {
            decision = outOfEvidence(spec, inconclusives + " inconclusive looks (limit " + spec.inconclusiveLimit()
                    + "): " + firstProblem, evidence);
        } else if (allPass) {
            decision = GateDecision.promote("all " + spec.metrics().size() + " metrics passed after " + looks + " looks", evidence);
        } else if (elapsed.compareTo(spec.maxDuration()) >= 0) {
            decision = outOfEvidence(spec, "maximum duration " + spec.maxDuration() + " reached without enough evidence: "
                    + firstProblem, evidence);
        } else {
            decision = GateDecision.keepLooking("look " + looks + ": " + (firstProblem == null ? "collecting" : firstProblem), evidence);
        }
        if (decision.outcome() == GateDecision.Outcome.ROLLBACK && firstFailure == null) {
            firstFailure = now;
        }
        GateState next = new GateState(state.startedAt(), looks, failures, inconclusives, errors, firstFailure,
                decision.finished(), ratios);
        return new Look(next, decision);
    }

    private static GateDecision outOfEvidence(GateSpec spec, String reason, List<Evidence> evidence) {
        GateSpec.InconclusivePolicy policy = spec.onInconclusive();
        if (policy == GateSpec.InconclusivePolicy.ROLLBACK) {
            return GateDecision.rollback(reason, evidence);
        } else if (policy == GateSpec.InconclusivePolicy.HOLD) {
            return GateDecision.holdForHuman(reason + "; waiting for a person", evidence);
        }
        throw new AssertionError(policy);
    }
}
