package dev.rollbackdeploy.haproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.Canonicalizer;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HAProxy backend on one or more load balancers as a {@link Cluster}, so a VM target's release can
 * be recorded, compared and restored like any other. The release is the traffic split: one object of
 * kind {@value #KIND} whose spec lists the stable and canary servers with their weights:
 *
 * <pre>{"apiVersion":"rollback-deploy.io/v1","kind":"HAProxyBackend","metadata":{"name":"app"},
 *  "spec":{"backend":"app","canary":{"canary1":0},"stable":{"stable1":1,"stable2":1}}}</pre>
 *
 * The object's name is the backend's name when that is a valid Kubernetes-style name, else a
 * lowercased form with a short hash of the real name ({@code be_App} → {@code be-app-1a2b3c4d});
 * {@code spec.backend} always holds the real name.
 *
 * Weights are recorded divided by their greatest common divisor: 100/100/0 and 1/1/0 route requests
 * identically, so they are the same release. When the load balancers disagree, the live object lists
 * each one's weights instead ({@code spec.loadBalancers}); it then never equals a record, so a restore
 * writes the recorded weights to all of them.
 *
 * <p>What runs on the servers is provisioned outside rollback-deploy; restoring a VM target puts back
 * which servers get which share of requests. There are no workloads to scale: every server is ready.
 */
public final class HAProxyCluster implements Cluster {

    public static final String API_VERSION = "rollback-deploy.io/v1";
    public static final String KIND = "HAProxyBackend";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HAProxyTrafficRouter router;
    private int writes;

    public HAProxyCluster(HAProxyTrafficRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /** The object recording these server weights (divided by their greatest common divisor). */
    public static CanonicalObject backendObject(HAProxyBackend backend, Map<String, Integer> weights) {
        Map<String, Integer> normal = normalised(weights);
        return of(backend.name(), spec -> {
            ObjectNode stable = spec.putObject("stable");
            backend.stableServers().forEach(s -> stable.put(s, requireWeight(normal, s)));
            ObjectNode canary = spec.putObject("canary");
            backend.canaryServers().forEach(s -> canary.put(s, requireWeight(normal, s)));
        });
    }

    /**
     * The backend (its name and which servers are stable and canary) and the weights a recorded object
     * holds.
     *
     * @throws IllegalArgumentException naming the field when the object is not an {@value #KIND}
     */
    public static Recorded read(CanonicalObject object) {
        if (!KIND.equals(object.key().kind())) {
            throw new IllegalArgumentException("kind of " + object.key() + " must be " + KIND + ", got " + object.key().kind());
        }
        JsonNode spec;
        try {
            spec = JSON.readTree(object.canonicalJson()).path("spec");
        } catch (IOException e) {
            throw new IllegalArgumentException(object.key() + " is not JSON: " + e.getMessage(), e);
        }
        Map<String, Integer> weights = new TreeMap<>();
        List<String> stable = servers(object, spec, "stable", weights);
        List<String> canary = servers(object, spec, "canary", weights);
        JsonNode name = spec.path("backend");
        if (!name.isTextual()) {
            throw new IllegalArgumentException("spec.backend of " + object.key() + " must name the HAProxy backend, got " + name);
        }
        return new Recorded(new HAProxyBackend(name.asText(), stable, canary), weights);
    }

    /** A recorded backend and its server weights. */
    public record Recorded(HAProxyBackend backend, Map<String, Integer> weights) {
        public Recorded {
            weights = Map.copyOf(weights);
        }
    }

    private static List<String> servers(CanonicalObject object, JsonNode spec, String role, Map<String, Integer> weights) {
        JsonNode group = spec.path(role);
        if (!group.isObject() || group.isEmpty()) {
            throw new IllegalArgumentException("spec." + role + " of " + object.key()
                    + " must map server names to weights, got " + group);
        }
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = group.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> server = it.next();
            JsonNode weight = server.getValue();
            if (!weight.canConvertToInt() || weight.intValue() < 0 || weight.intValue() > HAProxyBackend.MAX_WEIGHT) {
                throw new IllegalArgumentException("spec." + role + "." + server.getKey() + " of " + object.key()
                        + " must be a weight from 0 to " + HAProxyBackend.MAX_WEIGHT + ", got " + weight);
            }
            names.add(server.getKey());
            weights.put(server.getKey(), weight.intValue());
        }
        return names;
    }

    @Override
    public LiveState observe() throws IOException, InterruptedException {
        HAProxyBackend backend = router.backend();
        Map<String, Map<String, Integer>> perBalancer = router.weightsInForce();
        Map<String, Map<String, Integer>> normal = new TreeMap<>();
        perBalancer.forEach((endpoint, weights) -> normal.put(endpoint, normalised(weights)));
        for (Map.Entry<String, Map<String, Integer>> balancer : normal.entrySet()) {
            if (!balancer.getValue().keySet().containsAll(backend.servers())) {
                throw new IOException("backend " + backend.name() + " on " + balancer.getKey() + " lacks servers of "
                        + backend.servers() + "; it has " + balancer.getValue().keySet());
            }
        }
        if (normal.values().stream().distinct().count() == 1) {
            return LiveState.of(ManifestSet.of(List.of(backendObject(backend, normal.values().iterator().next()))));
        }
        return LiveState.of(ManifestSet.of(List.of(of(backend.name(), spec -> {
            ObjectNode balancers = spec.putObject("loadBalancers");
            normal.forEach((endpoint, weights) -> {
                ObjectNode node = balancers.putObject(endpoint);
                weights.forEach(node::put);
            });
        }))));
    }

    @Override
    public void apply(CanonicalObject object) throws IOException, InterruptedException {
        Recorded recorded = read(object);
        HAProxyBackend backend = router.backend();
        if (!recorded.backend().equals(backend)) {
            throw new IllegalArgumentException(object.key() + " is for backend " + recorded.backend()
                    + " but this target is " + backend);
        }
        writes++;
        router.setWeights(recorded.weights(), "weights " + recorded.weights() + " of backend " + backend.name());
    }

    @Override
    public void delete(ObjectKey object) {
        throw new IllegalArgumentException("HAProxy backends are configured in haproxy.cfg; a restore does not delete "
                + object + " (run without --prune)");
    }

    @Override
    public void scale(ObjectKey workload, int replicas) {
        throw new IllegalArgumentException("VM targets have no workloads to scale, got " + workload);
    }

    @Override
    public boolean isReady(ObjectKey workload) {
        return true;
    }

    /** Weight writes made through {@link #apply} (each sets every server on every load balancer). */
    public int writes() {
        return writes;
    }

    public HAProxyTrafficRouter router() {
        return router;
    }

    /** The object key of a backend's record. */
    public static ObjectKey key(String backend) {
        return ObjectKey.of(API_VERSION, KIND, "", objectName(backend));
    }

    static String objectName(String backend) {
        if (backend.matches("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?")) {
            return backend;
        }
        String base = backend.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[-.]+|[-.]+$", "");
        String hash = dev.rollbackdeploy.manifest.TemplateHash.of(backend.getBytes(StandardCharsets.UTF_8)).toString();
        String suffix = hash.substring(hash.length() - 8);
        return (base.isEmpty() ? "backend" : base) + "-" + suffix;
    }

    /** The object of a backend: apiVersion, kind, name, {@code spec.backend}, and what {@code spec} adds. */
    private static CanonicalObject of(String backend, java.util.function.Consumer<ObjectNode> spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        root.putObject("metadata").put("name", objectName(backend));
        ObjectNode body = root.putObject("spec");
        body.put("backend", backend);
        spec.accept(body);
        return CanonicalObject.of(key(backend), API_VERSION, new String(Canonicalizer.canonicalBytes(root), StandardCharsets.UTF_8));
    }

    private static int requireWeight(Map<String, Integer> weights, String server) {
        Integer weight = weights.get(server);
        if (weight == null) {
            throw new IllegalArgumentException("no weight for server " + server + " in " + weights);
        }
        return weight;
    }

    static Map<String, Integer> normalised(Map<String, Integer> weights) {
        int gcd = 0;
        for (int w : weights.values()) {
            gcd = gcd(gcd, w);
        }
        Map<String, Integer> out = new TreeMap<>();
        int divisor = Math.max(gcd, 1);
        weights.forEach((server, w) -> out.put(server, w / divisor));
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
