package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.vm.VmRollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillReportWriterTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    /** Prometheus as the drill sees it: one point a second, NaN seconds already dropped by the adapter. */
    private static final class RateSource implements MetricSource {
        @Override
        public Measurement instant(String query, Instant at) {
            throw new AssertionError("the chart only asks for ranges");
        }

        @Override
        public Measurement range(String query, Instant start, Instant end, Duration step) {
            boolean canary = query.contains(DrillEnvironment.CANARY_SERVERS.get(0));
            List<Measurement.Point> points = new ArrayList<>();
            for (int s = 0; s <= 10; s++) {
                if (canary && s == 4) {
                    continue; // 0/0 that second: no point
                }
                // After the rollback at 7 s the canary's 5 s window empties and its rate "falls".
                double value = !canary ? 0.01 : s <= 7 ? 0.2 : 0.2 - 0.05 * (s - 7);
                points.add(new Measurement.Point(T0.plusSeconds(s), value));
            }
            return new Measurement.Series(query, Map.of(), points);
        }
    }

    private static String attribute(String svg, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]* d=\"([^\"]*)\"").matcher(svg);
        assertThat(m.find()).as("a path with id " + id).isTrue();
        return m.group(1);
    }

    private static long count(String d, char c) {
        return d.chars().filter(x -> x == c).count();
    }

    @Test
    void theCanarysRateIsAGapWhereItHadNoTrafficAndAfterTheRollback() throws Exception {
        List<GateChart.WeightStep> weights = List.of(new GateChart.WeightStep(T0, 10),
                new GateChart.WeightStep(T0.plusMillis(7_400), 0));
        VmRollout.Result run = new VmRollout.Result(null, List.of(), weights, T0.plusSeconds(7), null);

        String svg = DrillReportWriter.chart(run, new RateSource(), T0, T0.plusSeconds(10));

        String canary = attribute(svg, "canary-series");
        // Seconds 0-3 and 5-7 drawn, 4 is a gap, 8-10 come after the weight went to 0.
        assertThat(count(canary, 'M') + count(canary, 'L')).isEqualTo(7);
        assertThat(count(canary, 'M')).isEqualTo(2);
        String stable = attribute(svg, "baseline-series");
        assertThat(count(stable, 'M') + count(stable, 'L')).isEqualTo(11);
    }

    @Test
    void aSecondOneArmDidNotAnswerIsNaNForThatArmOnly() {
        Map<Instant, Double> canary = Map.of(T0, 0.1, T0.plusSeconds(2), 0.3);
        Map<Instant, Double> stable = Map.of(T0, 0.01, T0.plusSeconds(1), 0.01, T0.plusSeconds(2), 0.01);

        List<GateChart.RatePoint> grid = DrillReportWriter.grid(canary, stable);

        assertThat(grid).hasSize(3);
        assertThat(grid.get(1).canaryRate()).isNaN();
        assertThat(grid.get(1).baselineRate()).isEqualTo(0.01);
    }
}
