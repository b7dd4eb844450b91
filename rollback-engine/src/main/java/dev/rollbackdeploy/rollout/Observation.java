package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.gate.GateDecision;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Plain values (absent ones left out), for a shell's persisted run state; round-trips through {@link #fromMap}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("intentsDone", intentsDone);
        put(map, "gate", gate == null ? null : gate.name());
        put(map, "gateReason", gateReason);
        put(map, "command", command == null ? null : command.name());
        put(map, "workloadFailed", workloadFailed);
        put(map, "intentFailed", intentFailed);
        return map;
    }

    /**
     * @throws IllegalArgumentException a value that is not an outcome or command name
     * @throws ClassCastException       a value of the wrong type (a garbled state)
     */
    public static Observation fromMap(Map<String, Object> map) {
        Object gate = map.get("gate");
        Object command = map.get("command");
        return new Observation(Boolean.TRUE.equals(map.get("intentsDone")),
                gate == null ? null : GateDecision.Outcome.valueOf((String) gate), (String) map.get("gateReason"),
                command == null ? null : Command.valueOf((String) command), (String) map.get("workloadFailed"),
                (String) map.get("intentFailed"));
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
