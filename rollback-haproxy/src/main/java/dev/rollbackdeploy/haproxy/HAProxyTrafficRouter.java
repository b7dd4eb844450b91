package dev.rollbackdeploy.haproxy;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a backend's traffic between stable and canary servers by setting server weights on one or
 * more HAProxy load balancers through the Runtime API, in parallel, confirming every write by reading
 * {@code show servers state} back. "Done" means every load balancer confirmed; otherwise the
 * {@link IOException} says which did not and what it answered.
 *
 * <p>Runtime weights do not survive an HAProxy reload unless the configuration keeps them
 * ({@code server-state-file} in {@code global} plus {@code load-server-state-from-file global} in
 * the backend); call {@link #reassert()} after a reload otherwise.
 */
public final class HAProxyTrafficRouter implements TrafficRouter {

    /** Algorithms whose split follows runtime weights; the others hash or fill servers in order. */
    static final Set<String> WEIGHTED_ALGORITHMS = Set.of("roundrobin", "leastconn", "random");

    private final HAProxyBackend backend;
    private final List<RuntimeApi> balancers;
    private volatile boolean validated;
    private volatile Weight lastRequested;

    public HAProxyTrafficRouter(HAProxyBackend backend, List<RuntimeApi> balancers) {
        if (backend == null || balancers == null || balancers.isEmpty()) {
            throw new IllegalArgumentException("HAProxy router needs a backend and at least one load balancer, got "
                    + backend + " and " + balancers);
        }
        this.backend = backend;
        this.balancers = List.copyOf(balancers);
    }

    /**
     * Checks on every load balancer, before any write, that the backend balances by weight and has
     * the configured servers.
     *
     * @throws IllegalStateException naming the load balancer and what is wrong (a configuration problem)
     * @throws IOException           a load balancer could not be asked
     */
    public void validate() throws IOException, InterruptedException {
        for (RuntimeApi balancer : balancers) {
            String algorithm = StatTable.algorithm(balancer.send("show stat"), backend.name(), balancer.endpoint());
            if (!WEIGHTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalStateException("backend " + backend.name() + " on " + balancer.endpoint() + " balances by '"
                        + algorithm + "', which does not split traffic by runtime weights; use 'balance roundrobin'"
                        + " (or leastconn) for canary traffic");
            }
            List<ServerState> states = read(balancer);
            Set<String> present = new java.util.TreeSet<>();
            states.forEach(s -> present.add(s.server()));
            List<String> missing = backend.servers().stream().filter(s -> !present.contains(s)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("backend " + backend.name() + " on " + balancer.endpoint() + " has no server(s) "
                        + missing + "; it has " + present);
            }
            List<String> notReady = states.stream()
                    .filter(s -> backend.servers().contains(s.server()) && s.adminState() != 0)
                    .map(s -> s.server() + " (admin state 0x" + Integer.toHexString(s.adminState()) + ")").toList();
            if (!notReady.isEmpty()) {
                throw new IllegalStateException("backend " + backend.name() + " on " + balancer.endpoint()
                        + " has servers in drain or maintenance: " + notReady + "; weights would not move traffic as"
                        + " recorded. Put them back with 'set server " + backend.name() + "/<server> state ready'"
                        + " (or HAProxyTrafficRouter.setAdminState) first");
            }
        }
        validated = true;
    }

    @Override
    public void setCanaryWeight(Weight canary) throws IOException, InterruptedException {
        if (!validated) {
            validate();
        }
        lastRequested = canary;
        setWeights(backend.weightsFor(canary), "canary weight " + canary);
    }

    /**
     * Sets these server weights on every load balancer in parallel, each in {@link #writeOrder}, and
     * confirms them by reading back.
     *
     * @param what how to name the change in an error, e.g. "canary weight 25%"
     * @throws IOException naming every load balancer that did not confirm, and what it answered
     */
    void setWeights(Map<String, Integer> wanted, String what) throws IOException, InterruptedException {
        onEveryBalancer(what, balancer -> apply(balancer, wanted));
    }

    /** What a server's administrative state can be set to. */
    public enum AdminState {
        /** Takes new requests as its weight says. */
        READY,
        /** Finishes the requests it has, takes no new ones, keeps its weight for when it is ready again. */
        DRAIN
    }

    /** srv_admin_state bits set by the Runtime API: forced maintenance (0x01) and forced drain (0x08). */
    static final int FORCED_MAINT = 0x01;
    static final int FORCED_DRAIN = 0x08;

    /**
     * Sets these servers' administrative state on every load balancer in parallel and confirms it by
     * reading back.
     *
     * @throws IOException naming every load balancer that did not confirm; READY is not confirmed for a
     *                     server held down by its configuration or a tracked server (other state bits)
     */
    public void setAdminState(List<String> servers, AdminState state) throws IOException, InterruptedException {
        List<String> unknown = servers.stream().filter(s -> !backend.servers().contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("servers " + unknown + " are not in backend " + backend.name() + " "
                    + backend.servers());
        }
        String word = state.name().toLowerCase(java.util.Locale.ROOT);
        onEveryBalancer("state " + word + " of " + servers, balancer -> {
            for (String server : servers) {
                String command = "set server " + backend.name() + "/" + server + " state " + word;
                String reply = balancer.send(command).strip();
                if (!reply.isEmpty()) {
                    throw new IOException("'" + command + "' answered '" + reply + "'");
                }
            }
            for (ServerState row : read(balancer)) {
                if (servers.contains(row.server()) && !inState(row, state)) {
                    throw new IOException("server " + row.server() + " reads back admin state 0x"
                            + Integer.toHexString(row.adminState()) + ", not " + word);
                }
            }
        });
    }

    private static boolean inState(ServerState row, AdminState state) {
        return state == AdminState.DRAIN ? (row.adminState() & FORCED_DRAIN) != 0 : row.adminState() == 0;
    }

    /** One load balancer's part of a change. */
    @FunctionalInterface
    private interface BalancerAction {
        void run(RuntimeApi balancer) throws IOException, InterruptedException;
    }

    private void onEveryBalancer(String what, BalancerAction action) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(balancers.size(), r -> {
            Thread thread = new Thread(r, "haproxy-runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> results = new ArrayList<>();
            for (RuntimeApi balancer : balancers) {
                results.add(pool.submit(() -> {
                    action.run(balancer);
                    return null;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                try {
                    results.get(i).get();
                } catch (ExecutionException e) {
                    failures.add(balancers.get(i).endpoint() + ": " + e.getCause().getMessage());
                }
            }
            if (!failures.isEmpty()) {
                throw new IOException(what + " is NOT confirmed on " + failures.size() + " of "
                        + balancers.size() + " load balancer(s) — " + String.join("; ", failures)
                        + "; the others confirmed it. Traffic is not safe until every load balancer agrees: retry.");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The weights in force on each load balancer, by endpoint. */
    Map<String, Map<String, Integer>> weightsInForce() throws IOException, InterruptedException {
        Map<String, Map<String, Integer>> seen = new TreeMap<>();
        for (RuntimeApi balancer : balancers) {
            Map<String, Integer> weights = weights(read(balancer));
            weights.keySet().retainAll(backend.servers());
            seen.put(balancer.endpoint(), weights);
        }
        return seen;
    }

    HAProxyBackend backend() {
        return backend;
    }

    /** Re-applies the last requested weight (after an HAProxy reload reset runtime weights). */
    public void reassert() throws IOException, InterruptedException {
        Weight weight = lastRequested;
        if (weight == null) {
            throw new IllegalStateException("nothing to re-assert: no canary weight was set through this router yet");
        }
        setCanaryWeight(weight);
    }

    private void apply(RuntimeApi balancer, Map<String, Integer> wanted) throws IOException, InterruptedException {
        Map<String, Integer> inForce = weights(read(balancer));
        for (String server : writeOrder(inForce, wanted)) {
            String command = "set server " + backend.name() + "/" + server + " weight " + wanted.get(server);
            String reply = balancer.send(command).strip();
            if (!reply.isEmpty()) {
                throw new IOException("'" + command + "' answered '" + reply + "'");
            }
        }
        Map<String, Integer> confirmed = weights(read(balancer));
        for (Map.Entry<String, Integer> server : wanted.entrySet()) {
            if (!server.getValue().equals(confirmed.get(server.getKey()))) {
                throw new IOException("server " + server.getKey() + " reads back weight " + confirmed.get(server.getKey())
                        + ", not " + server.getValue());
            }
        }
    }

    /**
     * The servers to change, those that lower the canary's share first (canary down, stable up), then
     * those that raise it (canary up, stable down). Each write moves the share monotonically towards
     * its target within its group, so no moment between writes gives the canary more than the larger of
     * the old and the new share: going from 0% to 25% never passes through 50%.
     */
    List<String> writeOrder(Map<String, Integer> inForce, Map<String, Integer> wanted) {
        List<String> lowering = new ArrayList<>();
        List<String> raising = new ArrayList<>();
        for (Map.Entry<String, Integer> server : wanted.entrySet()) {
            Integer now = inForce.get(server.getKey());
            if (server.getValue().equals(now)) {
                continue;
            }
            boolean canary = backend.canaryServers().contains(server.getKey());
            boolean up = now == null || server.getValue() > now;
            (canary == up ? raising : lowering).add(server.getKey());
        }
        lowering.addAll(raising);
        return lowering;
    }

    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        Map<String, Weight> seen = new TreeMap<>();
        for (RuntimeApi balancer : balancers) {
            seen.put(balancer.endpoint(), backend.shareOf(weights(read(balancer))));
        }
        if (seen.values().stream().distinct().count() > 1) {
            throw new IOException("load balancers disagree on the canary share of backend " + backend.name() + ": " + seen);
        }
        return seen.values().iterator().next();
    }

    private List<ServerState> read(RuntimeApi balancer) throws IOException, InterruptedException {
        String reply = balancer.send("show servers state " + backend.name());
        try {
            return ServerState.parse(reply, balancer.endpoint());
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private Map<String, Integer> weights(List<ServerState> states) {
        Map<String, Integer> weights = new TreeMap<>();
        states.forEach(s -> weights.put(s.server(), s.weight()));
        return weights;
    }
}
