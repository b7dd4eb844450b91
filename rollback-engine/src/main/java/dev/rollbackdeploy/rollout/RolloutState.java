package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.traffic.Weight;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything a rollout must remember between two calls of {@link Progression#next}: small, immutable,
 * and convertible to a map of strings ({@link #toMap()}), which is what a Jenkins step keeps in its
 * plain fields across a controller restart (XStream cannot read records back).
 *
 * @param stepIndex     the step under way (steps.size() once all are done)
 * @param canary        the canary share last set
 * @param stepStartedAt when the current step began (its pause or gate deadline counts from here)
 * @param firstAbortAt  when the first abort began; kept, never refreshed by a repeated abort
 * @param abortReason   why it aborted (or null)
 * @param trafficOnStable during an abort: the traffic write to stable was done and confirmed
 * @param promotedAt    when it was promoted (or null)
 * @param previousScaledDown blue-green: the previous version was scaled down (the warm window closed)
 */
public record RolloutState(Phase phase, int stepIndex, Weight canary, Instant stepStartedAt, Instant firstAbortAt,
        String abortReason, boolean failure, boolean trafficOnStable, Instant promotedAt, boolean previousScaledDown) {

    private static final Set<String> FIELDS = Set.of("phase", "stepIndex", "canary", "stepStartedAt", "firstAbortAt",
            "abortReason", "failure", "trafficOnStable", "promotedAt", "previousScaledDown");

    public RolloutState {
        if (phase == null || canary == null) {
            throw new IllegalArgumentException("rollout state needs a phase and a canary weight, got " + phase + ", " + canary);
        }
        if (stepIndex < 0) {
            throw new IllegalArgumentException("stepIndex must be 0 or more, got " + stepIndex);
        }
    }

    public static RolloutState start() {
        return new RolloutState(Phase.PENDING, 0, Weight.NONE, null, null, null, false, false, null, false);
    }

    RolloutState moveTo(Phase target) {
        return new RolloutState(phase.moveTo(target), stepIndex, canary, stepStartedAt, firstAbortAt, abortReason, failure,
                trafficOnStable, promotedAt, previousScaledDown);
    }

    RolloutState atStep(int index, Instant now) {
        return new RolloutState(phase, index, canary, now, firstAbortAt, abortReason, failure, trafficOnStable, promotedAt,
                previousScaledDown);
    }

    RolloutState withCanary(Weight weight) {
        return new RolloutState(phase, stepIndex, weight, stepStartedAt, firstAbortAt, abortReason, failure, trafficOnStable,
                promotedAt, previousScaledDown);
    }

    RolloutState aborting(String reason, boolean isFailure, Instant now) {
        // The first abort's time and reason stand: a second abort request changes neither.
        return new RolloutState(phase.moveTo(Phase.ABORTING), stepIndex, canary, stepStartedAt,
                firstAbortAt == null ? now : firstAbortAt, abortReason == null ? reason : abortReason,
                failure || isFailure, trafficOnStable, promotedAt, previousScaledDown);
    }

    RolloutState withTrafficOnStable() {
        return new RolloutState(phase, stepIndex, Weight.NONE, stepStartedAt, firstAbortAt, abortReason, failure, true,
                promotedAt, previousScaledDown);
    }

    RolloutState promoted(Instant now) {
        return new RolloutState(phase.moveTo(Phase.PROMOTED), stepIndex, canary, stepStartedAt, firstAbortAt, abortReason,
                failure, trafficOnStable, now, previousScaledDown);
    }

    RolloutState withPreviousScaledDown() {
        return new RolloutState(phase, stepIndex, canary, stepStartedAt, firstAbortAt, abortReason, failure, trafficOnStable,
                promotedAt, true);
    }

    /** Plain strings only; absent values are left out. Round-trips exactly through {@link #fromMap}. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("phase", phase.name());
        map.put("stepIndex", Integer.toString(stepIndex));
        map.put("canary", Integer.toString(canary.percent()));
        putIfSet(map, "stepStartedAt", stepStartedAt);
        putIfSet(map, "firstAbortAt", firstAbortAt);
        putIfSet(map, "abortReason", abortReason);
        map.put("failure", Boolean.toString(failure));
        map.put("trafficOnStable", Boolean.toString(trafficOnStable));
        putIfSet(map, "promotedAt", promotedAt);
        map.put("previousScaledDown", Boolean.toString(previousScaledDown));
        return map;
    }

    /**
     * @throws IllegalArgumentException naming the field and the value, for anything unknown or garbled
     */
    public static RolloutState fromMap(Map<String, String> map) {
        for (String key : map.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException("rollout state has an unknown field '" + key + "'; known: " + FIELDS);
            }
        }
        Phase phase;
        try {
            phase = Phase.valueOf(required(map, "phase"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rollout state field phase must be one of " + java.util.Arrays.toString(Phase.values())
                    + ", got '" + map.get("phase") + "'", e);
        }
        return new RolloutState(phase, integer(map, "stepIndex"), Weight.of(integer(map, "canary")),
                instant(map, "stepStartedAt"), instant(map, "firstAbortAt"), map.get("abortReason"), bool(map, "failure"),
                bool(map, "trafficOnStable"), instant(map, "promotedAt"), bool(map, "previousScaledDown"));
    }

    private static void putIfSet(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private static String required(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("rollout state field " + key + " is missing");
        }
        return value;
    }

    private static int integer(Map<String, String> map, String key) {
        String value = required(map, key);
        if (!value.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("rollout state field " + key + " must be a whole number, got '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static boolean bool(Map<String, String> map, String key) {
        String value = required(map, key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("rollout state field " + key + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static Instant instant(Map<String, String> map, String key) {
        String value = map.get(key);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("rollout state field " + key + " must be an ISO-8601 instant, got '" + value + "'", e);
        }
    }
}
