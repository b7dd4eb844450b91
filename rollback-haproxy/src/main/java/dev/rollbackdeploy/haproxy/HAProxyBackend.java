package dev.rollbackdeploy.haproxy;

import dev.rollbackdeploy.traffic.Weight;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A backend split into stable and canary servers, and the weight arithmetic.
 *
 * <p>With S stable and C canary servers at weights ws and wc, the canary share is
 * C·wc / (C·wc + S·ws). The smallest equal per-group weights that make it exactly p% are used when
 * they fit under HAProxy's maximum of 256; otherwise (very uneven groups, small shares) the closest
 * totals are spread over each group's servers as evenly as integers allow, and {@link #shareOf}
 * reports the share actually in force. 0% gives every canary server weight 0 (no new requests) and
 * 100% gives every stable server weight 0.
 */
public record HAProxyBackend(String name, List<String> stableServers, List<String> canaryServers) {

    static final int MAX_WEIGHT = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    public HAProxyBackend {
        check("backend", name);
        if (stableServers == null || stableServers.isEmpty() || canaryServers == null || canaryServers.isEmpty()) {
            throw new IllegalArgumentException("backend " + name + " needs at least one stable and one canary server, got "
                    + stableServers + " and " + canaryServers);
        }
        stableServers = List.copyOf(stableServers);
        canaryServers = List.copyOf(canaryServers);
        var seen = new HashSet<String>();
        for (String server : servers(stableServers, canaryServers)) {
            check("server", server);
            if (!seen.add(server)) {
                throw new IllegalArgumentException("server " + server + " of backend " + name + " is listed twice");
            }
        }
    }

    private static void check(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " name must be 1-64 of [A-Za-z0-9_.:-], got '" + value + "'");
        }
    }

    private static List<String> servers(List<String> stable, List<String> canary) {
        List<String> all = new ArrayList<>(stable);
        all.addAll(canary);
        return all;
    }

    public List<String> servers() {
        return servers(stableServers, canaryServers);
    }

    /** The weight every server must have for this canary share. */
    Map<String, Integer> weightsFor(Weight canary) {
        int p = canary.percent();
        long[] totals = p == 0 ? new long[] {0, stableServers.size()}
                : p == 100 ? new long[] {canaryServers.size(), 0}
                : best(p);
        Map<String, Integer> weights = new TreeMap<>();
        spread(totals[1], stableServers, weights);
        spread(totals[0], canaryServers, weights);
        return weights;
    }

    /**
     * Total canary and stable weight for a share strictly between 0 and 100: the exact ratio with every
     * server of a group at the same weight when one fits under 256, else the closest totals with
     * weights spread as evenly as integers allow (e.g. 1 canary weight over 10 canary servers).
     */
    private long[] best(int p) {
        int c = canaryServers.size();
        int s = stableServers.size();
        long[] even = search(p, c, s, MAX_WEIGHT);
        if (error(p, even) == 0) {
            return new long[] {even[0] * c, even[1] * s};
        }
        long[] any = search(p, 1, 1, Math.min(c, s) * (long) MAX_WEIGHT);
        return error(p, any) < error(p, new long[] {even[0] * c, even[1] * s}) ? any : new long[] {even[0] * c, even[1] * s};
    }

    /** Smallest (k·unitC, m·unitS) with k, m in 1..limit whose share is closest to p. */
    private static long[] search(int p, int unitC, int unitS, long limit) {
        long[] best = null;
        double bestError = Double.MAX_VALUE;
        for (long k = 1; k <= limit; k++) {
            long m = Math.round((double) k * unitC * (100 - p) / ((double) p * unitS));
            if (m < 1 || m > limit) {
                continue;
            }
            double err = Math.abs(100.0 * k * unitC / (k * unitC + m * unitS) - p);
            if (err < bestError - 1e-9) {
                best = new long[] {k, m};
                bestError = err;
                if (err < 1e-9) {
                    break;
                }
            }
        }
        return best == null ? new long[] {1, limit} : best;
    }

    private static double error(int p, long[] totals) {
        return Math.abs(100.0 * totals[0] / (totals[0] + totals[1]) - p);
    }

    private static void spread(long total, List<String> servers, Map<String, Integer> weights) {
        long base = total / servers.size();
        long extra = total % servers.size();
        for (int i = 0; i < servers.size(); i++) {
            weights.put(servers.get(i), (int) (base + (i < extra ? 1 : 0)));
        }
    }

    /** The canary share these weights give, rounded to a whole percent. */
    Weight shareOf(Map<String, Integer> weights) {
        long canary = canaryServers.stream().mapToLong(s -> weights.getOrDefault(s, 0)).sum();
        long stable = stableServers.stream().mapToLong(s -> weights.getOrDefault(s, 0)).sum();
        return canary + stable == 0 ? Weight.NONE : Weight.of((int) Math.round(100.0 * canary / (canary + stable)));
    }
}
