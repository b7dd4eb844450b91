package dev.rollbackdeploy.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.rollout.WarmWindow;
import dev.rollbackdeploy.traffic.Weight;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link VmRun} remembers between two rounds, as plain data: {@link #encode()} gives a
 * JSON string (a few KB) that a Jenkins step keeps in a field across a controller restart, and
 * {@link #decode} reads it back in a fresh process.
 *
 * @param seen          what the last round saw, told to the engine first in the next one
 * @param pendingGate   the gate step whose look is due at {@code wakeAt}, or null
 * @param gate          the gate under way, or null
 * @param window        blue-green's warm window while it is open, or null
 * @param retryWeight   a switch back that failed and is retried first in the next round, or null
 * @param wakeAt        do nothing before this (null: at once)
 * @param evidence      the latest {@link #KEPT_EVIDENCE} looks' evidence (older ones are counted in {@code looks})
 * @param looks         every look taken, kept or not
 * @param weights       every confirmed canary share, in order
 * @param verdictAt     when a gate said roll back, or null
 * @param lastOutcome   the last gate look's outcome, or null
 */
public record VmRunState(RolloutState rollout, Observation seen, String pendingGate, GateState gate, WarmWindow window,
        boolean afterSwitchDecided, Weight retryWeight, int writeFailures, Instant wakeAt, List<Evidence> evidence,
        int looks, List<GateChart.WeightStep> weights, Instant verdictAt, GateDecision.Outcome lastOutcome,
        String lastReason, boolean finished) {

    /** Looks whose evidence the state (and so the record) keeps: enough for the chart, small enough to persist. */
    public static final int KEPT_EVIDENCE = 12;

    private static final ObjectMapper JSON = new ObjectMapper();

    public VmRunState {
        evidence = List.copyOf(evidence.size() > KEPT_EVIDENCE ? evidence.subList(evidence.size() - KEPT_EVIDENCE,
                evidence.size()) : evidence);
        weights = List.copyOf(weights);
    }

    public static VmRunState start() {
        return new VmRunState(RolloutState.start(), Observation.started(), null, null, null, false, null, 0, null,
                List.of(), 0, List.of(), null, null, null, false);
    }

    /** One JSON object of strings, numbers and lists: what {@link #decode} reads. */
    public String encode() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run state is not serialisable", e);
        }
    }

    /**
     * @throws IllegalArgumentException the text is not a run state (garbled, truncated, from elsewhere)
     */
    @SuppressWarnings("unchecked")
    public static VmRunState decode(String text) {
        try {
            return fromMap(JSON.readValue(text, Map.class));
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a rollout run state: " + e.getMessage(), e);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rollout", rollout.toMap());
        map.put("seen", seen.toMap());
        put(map, "pendingGate", pendingGate);
        if (gate != null) {
            map.put("gate", gate.toMap());
        }
        if (window != null) {
            map.put("window", window.toMap());
        }
        map.put("afterSwitchDecided", afterSwitchDecided);
        put(map, "retryWeight", retryWeight == null ? null : retryWeight.percent());
        map.put("writeFailures", writeFailures);
        put(map, "wakeAt", wakeAt);
        // Queries are long and the same at every look: kept once per metric.
        Map<String, List<String>> queries = new LinkedHashMap<>();
        List<Map<String, Object>> looksKept = new ArrayList<>();
        for (Evidence e : evidence) {
            queries.putIfAbsent(e.metric(), e.queries());
            Map<String, Object> one = e.toMap();
            one.remove("queries");
            looksKept.add(one);
        }
        map.put("queries", queries);
        map.put("evidence", looksKept);
        map.put("looks", looks);
        map.put("weights", weights.stream().map(w -> List.of(w.at().toString(), w.percent())).toList());
        put(map, "verdictAt", verdictAt);
        put(map, "lastOutcome", lastOutcome);
        put(map, "lastReason", lastReason);
        map.put("finished", finished);
        return map;
    }

    @SuppressWarnings("unchecked")
    public static VmRunState fromMap(Map<String, Object> map) {
        Map<String, List<String>> queries = (Map<String, List<String>>) map.getOrDefault("queries", Map.of());
        List<Evidence> evidence = new ArrayList<>();
        for (Map<String, Object> one : (List<Map<String, Object>>) map.getOrDefault("evidence", List.of())) {
            Map<String, Object> full = new LinkedHashMap<>(one);
            full.put("queries", queries.getOrDefault((String) one.get("metric"), List.of()));
            evidence.add(Evidence.fromMap(full));
        }
        List<GateChart.WeightStep> weights = new ArrayList<>();
        for (List<Object> w : (List<List<Object>>) map.getOrDefault("weights", List.of())) {
            weights.add(new GateChart.WeightStep(Instant.parse((String) w.get(0)), ((Number) w.get(1)).intValue()));
        }
        Object retry = map.get("retryWeight");
        Object outcome = map.get("lastOutcome");
        return new VmRunState(RolloutState.fromMap((Map<String, String>) map.get("rollout")),
                Observation.fromMap((Map<String, Object>) map.get("seen")), (String) map.get("pendingGate"),
                map.get("gate") == null ? null : GateState.fromMap((Map<String, Object>) map.get("gate")),
                map.get("window") == null ? null : WarmWindow.fromMap((Map<String, String>) map.get("window")),
                Boolean.TRUE.equals(map.get("afterSwitchDecided")),
                retry == null ? null : Weight.of(((Number) retry).intValue()), ((Number) map.get("writeFailures")).intValue(),
                instant(map, "wakeAt"), evidence, ((Number) map.get("looks")).intValue(), weights, instant(map, "verdictAt"),
                outcome == null ? null : GateDecision.Outcome.valueOf((String) outcome), (String) map.get("lastReason"),
                Boolean.TRUE.equals(map.get("finished")));
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value instanceof Enum<?> || value instanceof Instant ? value.toString() : value);
        }
    }

    private static Instant instant(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : Instant.parse((String) value);
    }
}
