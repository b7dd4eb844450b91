package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;

/**
 * Reads and rewrites the stable/canary backend weights of HTTPRoute rules. Pure. Gateway API
 * defaults a backendRef's weight to 1; a share is {@code canary / (stable + canary)}.
 */
final class RouteWeights {

    private RouteWeights() {
    }

    static void requireStable(JsonNode rules, String stable, String route) throws IOException {
        for (JsonNode rule : rules) {
            if (find(rule, stable) != null) {
                return;
            }
        }
        throw new IOException("HTTPRoute " + route + " has no rule with a backendRef to the stable Service '" + stable + "'");
    }

    /** The canary share of the first rule that sends to stable; all such rules must agree. */
    static Weight canaryShare(JsonNode rules, String stable, String canary) throws IOException {
        Weight share = null;
        for (JsonNode rule : rules) {
            JsonNode stableRef = find(rule, stable);
            if (stableRef == null) {
                continue;
            }
            JsonNode canaryRef = find(rule, canary);
            int s = stableRef.path("weight").asInt(1);
            int c = canaryRef == null ? 0 : canaryRef.path("weight").asInt(1);
            Weight ruleShare = Weight.of(s + c == 0 ? 0 : (int) Math.round(100.0 * c / (s + c)));
            if (share != null && !share.equals(ruleShare)) {
                throw new IOException("HTTPRoute rules split differently: " + share + " and " + ruleShare
                        + " to canary '" + canary + "'");
            }
            share = ruleShare;
        }
        return share == null ? Weight.NONE : share;
    }

    /** The rules with stable at {@code 100 - w} and canary at {@code w} wherever stable is a backend. */
    static ArrayNode withCanary(JsonNode rules, String stable, String canary, Weight weight) {
        ArrayNode out = ((ArrayNode) rules).deepCopy();
        for (JsonNode rule : out) {
            ObjectNode stableRef = (ObjectNode) find(rule, stable);
            ObjectNode canaryRef = (ObjectNode) find(rule, canary);
            if (stableRef == null || canaryRef == null && weight.percent() == 0) {
                continue; // no canary backend and none wanted: the rule already sends it nothing
            }
            stableRef.put("weight", weight.complement().percent());
            if (canaryRef == null) {
                canaryRef = stableRef.deepCopy().put("name", canary);
                ((ArrayNode) rule.get("backendRefs")).add(canaryRef);
            }
            canaryRef.put("weight", weight.percent());
        }
        return out;
    }

    private static JsonNode find(JsonNode rule, String service) {
        for (JsonNode ref : rule.path("backendRefs")) {
            String kind = ref.path("kind").asText("Service");
            if (kind.equals("Service") && service.equals(ref.path("name").asText())) {
                return ref;
            }
        }
        return null;
    }
}
