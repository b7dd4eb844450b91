package dev.rollbackdeploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.traffic.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HAProxyBackendTest {

    private static HAProxyBackend backend(int stable, int canary) {
        List<String> s = new ArrayList<>();
        List<String> c = new ArrayList<>();
        IntStream.range(0, stable).forEach(i -> s.add("stable" + i));
        IntStream.range(0, canary).forEach(i -> c.add("canary" + i));
        return new HAProxyBackend("app", s, c);
    }

    @ParameterizedTest(name = "{0} stable, {1} canary: every share within {2}%")
    @CsvSource({"2, 1, 0", "1, 1, 0", "3, 2, 0", "10, 1, 0", "1, 10, 0", "17, 13, 0", "64, 3, 0"})
    void everyShareFromZeroToAHundredIsMetWithinTheBound(int stable, int canary, int bound) {
        HAProxyBackend backend = backend(stable, canary);
        for (int p = 0; p <= 100; p++) {
            Map<String, Integer> weights = backend.weightsFor(Weight.of(p));

            assertThat(weights.values()).allSatisfy(w -> assertThat(w).isBetween(0, HAProxyBackend.MAX_WEIGHT));
            assertThat(backend.shareOf(weights).percent()).as("share %d%%", p).isCloseTo(p, org.assertj.core.data.Offset.offset(bound));
        }
    }

    @ParameterizedTest(name = "{0}%")
    @CsvSource({"0, 0, 1", "10, 2, 9", "25, 2, 3", "50, 2, 1", "100, 1, 0"})
    void twoStableOneCanaryUseTheSmallestExactWeights(int percent, int canaryWeight, int stableWeight) {
        Map<String, Integer> weights = backend(2, 1).weightsFor(Weight.of(percent));

        assertThat(weights).containsEntry("canary0", canaryWeight).containsEntry("stable0", stableWeight)
                .containsEntry("stable1", stableWeight);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad name | backend name must be 1-64",
            "dup      | listed twice",
            "empty    | at least one stable and one canary"})
    void rejectsBadBackendsQuotingThem(String row, String message) {
        assertThatThrownBy(() -> {
            switch (row) {
                case "bad name" -> new HAProxyBackend("my app", List.of("a"), List.of("b"));
                case "dup" -> new HAProxyBackend("app", List.of("a"), List.of("a"));
                default -> new HAProxyBackend("app", List.of(), List.of("b"));
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
