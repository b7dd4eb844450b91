package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.gate.GateDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blue-green's warm window as a pure value: after the switch the previous version stays warm until
 * {@code endsAt}, and the after-switch gate is asked every {@code interval} for the whole window — a
 * version that passes one look and starts failing two seconds later must still be switched back
 * (issue 9 item 3: the shells used to stop looking after the first pass). One look falls exactly on the
 * window's end. Any ROLLBACK look switches back at once; a window over in which no look ever passed
 * switches back too (missing evidence is never taken as healthy); a window over after a pass keeps the
 * new version. Shared by every shell (HAProxy VMs and Kubernetes), and {@link #toMap()} persists it.
 *
 * @param nextLookAt when the next look is due, or null when the look at the window's end was taken
 * @param passed     some look said PROMOTE
 * @param failure    why a look said ROLLBACK, or null
 * @param lastReason the last look's reason, for the record, or null before the first look
 */
public record WarmWindow(Instant endsAt, Duration interval, Instant nextLookAt, boolean passed, String failure,
        String lastReason) {

    public WarmWindow {
        if (endsAt == null || interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a warm window needs an end and a positive look interval, got " + endsAt
                    + " and " + interval);
        }
    }

    /** What the shell does next. */
    public sealed interface Next {
    }

    /** Take one look of the after-switch gate now and report it with {@link #afterLook}. */
    public record Look() implements Next {
    }

    /** Nothing to do before {@code until}. */
    public record WaitUntil(Instant until) implements Next {
    }

    /** Switch back to the still-warm previous version: tell the engine the gate said roll back, with this reason. */
    public record SwitchBack(String reason) implements Next {
    }

    /** The window is over and the new version stays: the engine may scale the previous version down. */
    public record Keep(String reason) implements Next {
    }

    /** A window opened at the switch; the first look is one interval later (the new version needs traffic first). */
    public static WarmWindow open(Instant switchedAt, Instant endsAt, Duration interval) {
        Instant first = switchedAt.plus(interval);
        return new WarmWindow(endsAt, interval, first.isAfter(endsAt) ? endsAt : first, false, null, null);
    }

    public Next next(Instant now) {
        if (failure != null) {
            return new SwitchBack(failure);
        }
        if (nextLookAt != null) {
            return now.isBefore(nextLookAt) ? new WaitUntil(nextLookAt) : new Look();
        }
        if (passed) {
            return new Keep("the after-switch gate passed and kept passing for the whole warm window ("
                    + lastReason + ")");
        }
        return new SwitchBack("the warm window ended before the after-switch gate passed ("
                + (lastReason == null ? "no look yet" : lastReason) + "): missing evidence is never taken as healthy");
    }

    /** The window after a look taken at {@code now}. */
    public WarmWindow afterLook(GateDecision.Outcome outcome, String reason, Instant now) {
        String why = reason == null ? "" : reason;
        if (outcome == GateDecision.Outcome.ROLLBACK) {
            return new WarmWindow(endsAt, interval, null, passed, why, why);
        }
        Instant next = now.plus(interval);
        Instant due = now.isBefore(endsAt) ? (next.isAfter(endsAt) ? endsAt : next) : null;
        return new WarmWindow(endsAt, interval, due, passed || outcome == GateDecision.Outcome.PROMOTE, null, why);
    }

    /** Plain strings only; absent values are left out. Round-trips through {@link #fromMap}. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("endsAt", endsAt.toString());
        map.put("interval", interval.toString());
        if (nextLookAt != null) {
            map.put("nextLookAt", nextLookAt.toString());
        }
        map.put("passed", Boolean.toString(passed));
        if (failure != null) {
            map.put("failure", failure);
        }
        if (lastReason != null) {
            map.put("lastReason", lastReason);
        }
        return map;
    }

    /**
     * @throws IllegalArgumentException naming the field and the value
     */
    public static WarmWindow fromMap(Map<String, String> map) {
        try {
            String next = map.get("nextLookAt");
            return new WarmWindow(Instant.parse(required(map, "endsAt")), Duration.parse(required(map, "interval")),
                    next == null ? null : Instant.parse(next), Boolean.parseBoolean(map.get("passed")), map.get("failure"),
                    map.get("lastReason"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("warm window state has a garbled time: " + e.getParsedString(), e);
        }
    }

    private static String required(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("warm window state field " + key + " is missing");
        }
        return value;
    }
}
