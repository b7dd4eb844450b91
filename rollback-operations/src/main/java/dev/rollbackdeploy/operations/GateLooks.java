package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes deployment's gate remembers between rounds (the VM run keeps the same facts in its
 * {@link VmRunState}): the gate under way, the latest looks' evidence for the record (at most
 * {@link VmRunState#KEPT_EVIDENCE}), the number of looks, the last answer, and when a look said roll back.
 */
public record GateLooks(GateState gate, List<Evidence> evidence, int looks, GateDecision.Outcome lastOutcome,
        String lastReason, Instant verdictAt) {

    public GateLooks {
        int keep = VmRunState.KEPT_EVIDENCE;
        evidence = List.copyOf(evidence.size() > keep ? evidence.subList(evidence.size() - keep, evidence.size()) : evidence);
    }

    public static GateLooks none() {
        return new GateLooks(null, List.of(), 0, null, null, null);
    }

    /**
     * After one look: the gate's new state, or none once it decided (a warm window's gate that passed
     * is reopened: it keeps asking, still counting from the switch).
     */
    GateLooks after(GateState next, GateDecision decision, boolean keepsLooking, Instant now) {
        List<Evidence> all = new ArrayList<>(evidence);
        all.addAll(decision.evidence());
        GateState kept = next;
        if (decision.finished() || decision.outcome() != GateDecision.Outcome.HOLD) {
            kept = keepsLooking && decision.outcome() == GateDecision.Outcome.PROMOTE
                    ? new GateState(next.startedAt(), next.looks(), next.failures(), next.inconclusives(),
                            next.consecutiveErrors(), next.firstFailureAt(), false, next.errorRatios())
                    : null;
        }
        Instant verdict = verdictAt == null && decision.outcome() == GateDecision.Outcome.ROLLBACK ? now : verdictAt;
        return new GateLooks(kept, all, looks + 1, decision.outcome(), decision.reason(), verdict);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (gate != null) {
            map.put("gate", gate.toMap());
        }
        // Queries are long and the same at every look: kept once per metric (as VmRunState does).
        Map<String, List<String>> queries = new LinkedHashMap<>();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Evidence e : evidence) {
            queries.putIfAbsent(e.metric(), e.queries());
            Map<String, Object> one = new LinkedHashMap<>(e.toMap());
            one.remove("queries");
            kept.add(one);
        }
        map.put("queries", queries);
        map.put("evidence", kept);
        map.put("looks", looks);
        if (lastOutcome != null) {
            map.put("lastOutcome", lastOutcome.name());
        }
        if (lastReason != null) {
            map.put("lastReason", lastReason);
        }
        if (verdictAt != null) {
            map.put("verdictAt", verdictAt.toString());
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    static GateLooks fromMap(Map<String, Object> map) {
        Map<String, List<String>> queries = (Map<String, List<String>>) map.getOrDefault("queries", Map.of());
        List<Evidence> evidence = new ArrayList<>();
        for (Map<String, Object> one : (List<Map<String, Object>>) map.getOrDefault("evidence", List.of())) {
            Map<String, Object> full = new LinkedHashMap<>(one);
            full.put("queries", queries.getOrDefault((String) one.get("metric"), List.of()));
            evidence.add(Evidence.fromMap(full));
        }
        Object outcome = map.get("lastOutcome");
        Object verdict = map.get("verdictAt");
        return new GateLooks(map.get("gate") == null ? null : GateState.fromMap((Map<String, Object>) map.get("gate")),
                evidence, ((Number) map.get("looks")).intValue(),
                outcome == null ? null : GateDecision.Outcome.valueOf((String) outcome), (String) map.get("lastReason"),
                verdict == null ? null : Instant.parse((String) verdict));
    }
}
