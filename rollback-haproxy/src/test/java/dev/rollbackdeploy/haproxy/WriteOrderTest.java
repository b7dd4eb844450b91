package dev.rollbackdeploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.traffic.Weight;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Between two writes, the canary never holds more than the larger of the old and the new share. */
class WriteOrderTest {

    @ParameterizedTest(name = "{0} stable, {1} canary")
    @CsvSource({"2, 1", "1, 1", "3, 2", "1, 3"})
    void noIntermediateStateGivesTheCanaryMoreThanBothEnds(int stableCount, int canaryCount) {
        List<String> stable = java.util.stream.IntStream.range(0, stableCount).mapToObj(i -> "stable" + i).toList();
        List<String> canary = java.util.stream.IntStream.range(0, canaryCount).mapToObj(i -> "canary" + i).toList();
        HAProxyBackend backend = new HAProxyBackend("app", stable, canary);
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(backend, List.of(new CountingApi(null)));
        int[] shares = {0, 10, 25, 50, 75, 100};
        for (int from : shares) {
            for (int to : shares) {
                Map<String, Integer> weights = new HashMap<>(backend.weightsFor(Weight.of(from)));
                Map<String, Integer> wanted = backend.weightsFor(Weight.of(to));
                double ceiling = Math.max(exactShare(backend, weights), exactShare(backend, wanted));

                for (String server : router.writeOrder(weights, wanted)) {
                    weights.put(server, wanted.get(server));
                    assertThat(exactShare(backend, weights)).as("%d%% -> %d%% after writing %s", from, to, server)
                            .isLessThanOrEqualTo(ceiling + 1e-9);
                }
                assertThat(weights).isEqualTo(wanted);
            }
        }
    }

    private static double exactShare(HAProxyBackend backend, Map<String, Integer> weights) {
        double canary = backend.canaryServers().stream().mapToInt(weights::get).sum();
        double stable = backend.stableServers().stream().mapToInt(weights::get).sum();
        // All weights 0 sends nothing anywhere; count it as the canary's worst case.
        return canary + stable == 0 ? 100 : 100 * canary / (canary + stable);
    }
}
