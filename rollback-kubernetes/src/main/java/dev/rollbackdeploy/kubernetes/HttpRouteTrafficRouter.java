package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.util.Objects;

/**
 * Splits traffic with Gateway API {@code HTTPRoute} backend weights: in every rule that sends to the
 * stable Service, the stable backend gets {@code 100 - w} and the canary backend {@code w} (added
 * next to stable, same port, when missing). Rules that do not mention the stable Service are left
 * alone.
 *
 * <p>Writes are JSON patches replacing {@code spec.rules} and carrying the resourceVersion just read, so a
 * concurrent edit makes the write fail with 409 instead of being overwritten; the router then reads
 * again. They run under the field manager {@code rollback-deploy}, so that the observed route (see
 * {@link LiveObjects}) shows the weights actually in force. Setting the weight in force writes nothing.
 */
public final class HttpRouteTrafficRouter implements TrafficRouter {

    private static final String API_VERSION = "gateway.networking.k8s.io/v1";
    private static final int MAX_CONFLICTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String route;
    private final String stable;
    private final String canary;
    private final Retrying retrying;

    public HttpRouteTrafficRouter(KubernetesClient client, String namespace, String route, String stableService,
            String canaryService, Retrying retrying) {
        if (stableService == null || stableService.equals(canaryService)) {
            throw new IllegalArgumentException("stable and canary Services must differ, got '" + stableService + "' and '"
                    + canaryService + "'");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.route = Objects.requireNonNull(route, "route");
        this.stable = stableService;
        this.canary = Objects.requireNonNull(canaryService, "canaryService");
        this.retrying = Objects.requireNonNull(retrying, "retrying");
    }

    @Override
    public void setCanaryWeight(Weight weight) throws IOException, InterruptedException {
        for (int conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
            JsonNode live = read();
            JsonNode current = live.path("spec").path("rules");
            if (inForce(current, weight)) {
                return;
            }
            ArrayNode rules = RouteWeights.withCanary(current, stable, canary, weight);
            if (patch(live.path("metadata").path("resourceVersion").asText(), rules)) {
                Weight confirmed = RouteWeights.canaryShare(read().path("spec").path("rules"), stable, canary);
                if (!confirmed.equals(weight)) {
                    throw new IOException("HTTPRoute " + namespace + "/" + route + " sends " + confirmed
                            + " to the canary after setting " + weight + ": something else changes its weights");
                }
                return;
            }
        }
        throw new IOException("HTTPRoute " + namespace + "/" + route + " kept changing while setting the canary weight");
    }

    /** The route this router writes. */
    ObjectKey routeKey() {
        return new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", namespace, route);
    }

    /** The canary share a route object (e.g. a recorded one) would put in force. */
    Weight shareIn(String routeJson) throws IOException {
        JsonNode rules = LiveObjects.read(routeJson).path("spec").path("rules");
        RouteWeights.requireStable(rules, stable, namespace + "/" + route);
        return RouteWeights.canaryShare(rules, stable, canary);
    }

    /** Whether the rules already give the canary this share (rules that disagree need a write). */
    private boolean inForce(JsonNode rules, Weight weight) {
        try {
            return RouteWeights.canaryShare(rules, stable, canary).equals(weight);
        } catch (IOException disagreeing) {
            return false;
        }
    }

    /** A route that does not exist (yet) sends nothing to a canary. */
    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        GenericKubernetesResource live = fetch();
        return live == null ? Weight.NONE : RouteWeights.canaryShare(parse(live).path("spec").path("rules"), stable, canary);
    }

    private GenericKubernetesResource fetch() throws IOException, InterruptedException {
        return retrying.call("read HTTPRoute " + namespace + "/" + route,
                () -> client.genericKubernetesResources(API_VERSION, "HTTPRoute").inNamespace(namespace).withName(route).get());
    }

    private JsonNode read() throws IOException, InterruptedException {
        GenericKubernetesResource live = fetch();
        if (live == null) {
            throw new IOException("HTTPRoute " + namespace + "/" + route + " does not exist");
        }
        return parse(live);
    }

    private JsonNode parse(GenericKubernetesResource live) throws IOException {
        JsonNode node = LiveObjects.read(client.getKubernetesSerialization().asJson(live));
        RouteWeights.requireStable(node.path("spec").path("rules"), stable, namespace + "/" + route);
        return node;
    }

    /** False when the route changed since it was read. */
    private boolean patch(String resourceVersion, ArrayNode rules) throws IOException, InterruptedException {
        // A JSON patch, not a merge patch: lists are replaced either way on a real server, but only
        // a JSON patch says so explicitly. Setting resourceVersion makes the write conditional (409).
        ArrayNode body = rules.arrayNode();
        body.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
        body.addObject().put("op", "replace").put("path", "/spec/rules").set("value", rules);
        PatchContext jsonPatch = new PatchContext.Builder().withPatchType(PatchType.JSON)
                .withFieldManager(Marks.FIELD_MANAGER).build();
        return retrying.call("set weights of HTTPRoute " + namespace + "/" + route, () -> {
            try {
                client.genericKubernetesResources(API_VERSION, "HTTPRoute").inNamespace(namespace).withName(route)
                        .patch(jsonPatch, LiveObjects.write(body));
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }
}
