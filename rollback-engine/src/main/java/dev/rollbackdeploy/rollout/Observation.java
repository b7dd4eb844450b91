package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.gate.GateDecision;

/**
 * What the shell saw since it last called {@link Progression#next}: whether it carried out the last
 * decision's intents, the gate's answer, a person's command, or a broken target. At most one of the
 * optional parts is usually set; all null means "nothing new, time passed".
 *
 * @param intentsDone    every intent of the previous decision was carried out and confirmed
 * @param gate           the gate's answer to the last RunGate (null when no gate ran)
 * @param gateReason     the gate's reason, for the record
 * @param command        a person's PROMOTE or ABORT (null when none)
 * @param workloadFailed why the target cannot work (pods broken, progress deadline), or null
 * @param intentFailed   why carrying out the previous intents failed (network, API error), or null
 */
public record Observation(boolean intentsDone, GateDecision.Outcome gate, String gateReason, Command command,
        String workloadFailed, String intentFailed) {

    public enum Command { PROMOTE, ABORT }

    public static Observation started() {
        return new Observation(false, null, null, null, null, null);
    }

    public static Observation done() {
        return new Observation(true, null, null, null, null, null);
    }

    public static Observation gate(GateDecision.Outcome outcome, String reason) {
        return new Observation(true, outcome, reason, null, null, null);
    }

    public static Observation command(Command command) {
        return new Observation(true, null, null, command, null, null);
    }

    public static Observation workloadFailed(String reason) {
        return new Observation(true, null, null, null, reason, null);
    }

    public static Observation intentFailed(String reason) {
        return new Observation(false, null, null, null, null, reason);
    }
}
