package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.rollout.WarmWindow;
import dev.rollbackdeploy.traffic.Weight;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes rollout between two rounds of {@link KubernetesRun}, as plain data: what a fresh object
 * needs to continue (a Jenkins controller restart). {@link #encode()} is one JSON object of well under a
 * kilobyte: the engine's state, the intents of the current decision not yet carried out (the first one
 * possibly half done: waiting for readiness, its write made, its gate look due), and the promotion's progress.
 *
 * @param pending          the current decision's intents still to carry out, the first one under way
 * @param headStarted      the first pending intent was started in an earlier round (its announcement made)
 * @param readyBy          a readiness wait under way gives up at this instant, else null
 * @param headWritten      the first pending intent's traffic write was made (now waiting for pods)
 * @param gateAt           the first pending gate look is due then, else null
 * @param window           blue-green's warm window under way, else null
 * @param previewChecked   blue-green: the new version was scaled up and found ready (or broken) before anything
 * @param promotion        a promoted canary's finish under way, else null
 * @param promoted         how the finish ended, else null
 * @param wakeAt           nothing to do before this instant
 */
public record KubernetesRunState(RolloutState rollout, Observation seen, List<Intent> pending, boolean headStarted,
        Instant readyBy, boolean headWritten, Instant gateAt, WarmWindow window, boolean previewChecked,
        boolean afterSwitchDecided, int trafficBackFailures, CanaryPromotion.Progress promotion,
        CanaryPromotion.Finished promoted, Instant wakeAt, boolean finished) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public KubernetesRunState {
        pending = List.copyOf(pending);
    }

    public static KubernetesRunState start() {
        return new KubernetesRunState(RolloutState.start(), Observation.started(), List.of(), false, null, false, null, null,
                false, false, 0, null, null, null, false);
    }

    public String encode() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Kubernetes run state is not serialisable", e);
        }
    }

    /**
     * @throws IllegalArgumentException the text is not a Kubernetes run state (garbled, truncated)
     */
    @SuppressWarnings("unchecked")
    public static KubernetesRunState decode(String text) {
        try {
            return fromMap(JSON.readValue(text, Map.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a Kubernetes run state: " + e.getOriginalMessage(), e);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rollout", rollout.toMap());
        map.put("seen", seen.toMap());
        map.put("pending", pending.stream().map(KubernetesRunState::intent).toList());
        map.put("headStarted", headStarted);
        put(map, "readyBy", readyBy);
        map.put("headWritten", headWritten);
        put(map, "gateAt", gateAt);
        if (window != null) {
            map.put("window", window.toMap());
        }
        map.put("previewChecked", previewChecked);
        map.put("afterSwitchDecided", afterSwitchDecided);
        map.put("trafficBackFailures", trafficBackFailures);
        if (promotion != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("stage", promotion.stage().name());
            put(p, "until", promotion.until());
            p.put("writes", promotion.writes());
            p.put("done", promotion.done());
            map.put("promotion", p);
        }
        if (promoted != null) {
            map.put("promoted", Map.of("complete", promoted.complete(), "writes", promoted.writes(), "summary",
                    promoted.summary()));
        }
        put(map, "wakeAt", wakeAt);
        map.put("finished", finished);
        return map;
    }

    /**
     * @throws IllegalArgumentException a map that is not a Kubernetes run state
     */
    @SuppressWarnings("unchecked")
    public static KubernetesRunState fromMap(Map<String, Object> map) {
        try {
            List<Intent> pending = new ArrayList<>();
            for (Map<String, Object> one : (List<Map<String, Object>>) map.get("pending")) {
                pending.add(intent(one));
            }
            Map<String, Object> p = (Map<String, Object>) map.get("promotion");
            Map<String, Object> done = (Map<String, Object>) map.get("promoted");
            return new KubernetesRunState(RolloutState.fromMap((Map<String, String>) map.get("rollout")),
                    Observation.fromMap((Map<String, Object>) map.get("seen")), pending,
                    Boolean.TRUE.equals(map.get("headStarted")), instant(map.get("readyBy")),
                    Boolean.TRUE.equals(map.get("headWritten")), instant(map.get("gateAt")),
                    map.get("window") == null ? null : WarmWindow.fromMap((Map<String, String>) map.get("window")),
                    Boolean.TRUE.equals(map.get("previewChecked")), Boolean.TRUE.equals(map.get("afterSwitchDecided")),
                    ((Number) map.get("trafficBackFailures")).intValue(),
                    p == null ? null : new CanaryPromotion.Progress(CanaryPromotion.Progress.Stage.valueOf((String) p.get("stage")),
                            instant(p.get("until")), ((Number) p.get("writes")).intValue(), (List<String>) p.get("done")),
                    done == null ? null : new CanaryPromotion.Finished(Boolean.TRUE.equals(done.get("complete")),
                            ((Number) done.get("writes")).intValue(), (String) done.get("summary")),
                    instant(map.get("wakeAt")), Boolean.TRUE.equals(map.get("finished")));
        } catch (ClassCastException | NullPointerException | DateTimeException e) {
            throw new IllegalArgumentException("not a Kubernetes run state: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> intent(Intent intent) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("do", intent.getClass().getSimpleName());
        if (intent instanceof Intent.SetCanaryWeight set) {
            map.put("weight", set.weight().percent());
        } else if (intent instanceof Intent.RunGate gate) {
            map.put("name", gate.name());
        } else if (intent instanceof Intent.SwitchActive to) {
            map.put("to", to.to().name());
        } else if (intent instanceof Intent.WaitUntil wait) {
            put(map, "until", wait.until());
        } else if (intent instanceof Intent.Done done) {
            map.put("outcome", done.outcome().name());
            map.put("reason", done.reason());
        }
        return map;
    }

    private static Intent intent(Map<String, Object> map) {
        String kind = (String) map.get("do");
        return switch (kind) {
            case "EnsureStableReady" -> new Intent.EnsureStableReady();
            case "SetCanaryWeight" -> new Intent.SetCanaryWeight(Weight.of(((Number) map.get("weight")).intValue()));
            case "RunGate" -> new Intent.RunGate((String) map.get("name"));
            case "ScaleDownCanary" -> new Intent.ScaleDownCanary();
            case "SwitchActive" -> new Intent.SwitchActive(Intent.Side.valueOf((String) map.get("to")));
            case "ScaleDownPrevious" -> new Intent.ScaleDownPrevious();
            case "RestorePreviousRecord" -> new Intent.RestorePreviousRecord();
            case "WaitUntil" -> new Intent.WaitUntil(instant(map.get("until")));
            case "Done" -> new Intent.Done(Phase.valueOf((String) map.get("outcome")), (String) map.get("reason"));
            default -> throw new IllegalArgumentException("unknown intent '" + kind + "'");
        };
    }

    private static void put(Map<String, Object> map, String key, Instant value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }
}
