package dev.rollbackdeploy.gate;

import java.util.List;

/**
 * What the gate says after one look.
 *
 * <ul>
 *   <li>{@link Outcome#PROMOTE}: every metric passed with enough evidence; always {@code finished}.</li>
 *   <li>{@link Outcome#ROLLBACK}: a metric failed, or a budget ran out on the safe side; always
 *       {@code finished}.</li>
 *   <li>{@link Outcome#HOLD}: keep the current weight. Not {@code finished}: look again after the
 *       interval. {@code finished}: the gate gave up without evidence either way (inconclusive policy
 *       HOLD) and a person must decide, as Argo Rollouts pauses on Inconclusive.</li>
 * </ul>
 */
public record GateDecision(Outcome outcome, boolean finished, String reason, List<Evidence> evidence) {

    public enum Outcome { PROMOTE, ROLLBACK, HOLD }

    public GateDecision {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must be PROMOTE, ROLLBACK or HOLD, got null");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a decision needs a reason, got " + (reason == null ? "null" : "blank"));
        }
        if (outcome != Outcome.HOLD && !finished) {
            throw new IllegalArgumentException(outcome + " always finishes the gate, got finished=false");
        }
        evidence = List.copyOf(evidence);
    }

    public static GateDecision promote(String reason, List<Evidence> evidence) {
        return new GateDecision(Outcome.PROMOTE, true, reason, evidence);
    }

    public static GateDecision rollback(String reason, List<Evidence> evidence) {
        return new GateDecision(Outcome.ROLLBACK, true, reason, evidence);
    }

    /** Keep the weight and look again. */
    public static GateDecision keepLooking(String reason, List<Evidence> evidence) {
        return new GateDecision(Outcome.HOLD, false, reason, evidence);
    }

    /** Stop looking and wait for a person. */
    public static GateDecision holdForHuman(String reason, List<Evidence> evidence) {
        return new GateDecision(Outcome.HOLD, true, reason, evidence);
    }
}
