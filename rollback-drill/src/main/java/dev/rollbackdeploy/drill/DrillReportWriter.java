package dev.rollbackdeploy.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.gate.Measurement;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.RecordCodec;
import dev.rollbackdeploy.record.RecordSummary;
import dev.rollbackdeploy.vm.VmRollout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Collects the drill's timeline as it happens (it is also the progress printer) and writes the HTML
 * report at the end: timeline, chart, figures, and every gate look's evidence for the faulty run.
 */
public final class DrillReportWriter implements Consumer<String> {

    private static final Duration STEP = Duration.ofSeconds(1);

    private final Path file;
    private final Clock clock;
    private final Consumer<String> echo;
    private final List<Object[]> timeline = new ArrayList<>();

    public DrillReportWriter(Path file, Clock clock, Consumer<String> echo) {
        this.file = file;
        this.clock = clock;
        this.echo = echo;
    }

    @Override
    public synchronized void accept(String line) {
        timeline.add(new Object[] {clock.instant(), line});
        echo.accept(line);
    }

    public Path file() {
        return file;
    }

    void write(LocalDrill.Outcome outcome, String chartSvg) throws IOException {
        HtmlReport report = new HtmlReport("rollback-deploy local drill — " + (outcome.passed() ? "PASSED" : "FAILED"));
        synchronized (this) {
            timeline.forEach(event -> report.event((Instant) event[0], (String) event[1]));
        }
        report.chart("Faulty candidate: error rate and canary weight", chartSvg);
        report.table("Figures", figures(outcome));
        if (!outcome.passed()) {
            report.text("Problems", String.join("\n", outcome.problems()));
        }
        StringBuilder looks = new StringBuilder();
        for (Evidence evidence : outcome.faulty().evidence()) {
            looks.append(evidence.at()).append("  ").append(evidence.verdict().kind()).append("  ")
                    .append(evidence.values()).append("  ").append(evidence.verdict().reason()).append('\n');
        }
        report.text("Gate evidence, faulty run (every look)", looks.toString());
        if (!outcome.faulty().evidence().isEmpty()) {
            report.text("Queries", String.join("\n", outcome.faulty().evidence().get(0).queries()));
        }
        report.text("Records (" + outcome.records() + ")", records(outcome.records()));
        report.writeTo(file);
    }

    /**
     * Canary and stable 5xx rates over the faulty run, one point a second from a Prometheus range query
     * (the gate's own looks can be too few to draw: a fast verdict comes on the first look with data).
     * A second without a finite rate (0/0 without traffic, which Prometheus' answer drops) stays in the
     * chart as NaN so it is drawn as a gap, and the canary has no rate once its weight is 0 (issue 9: its
     * line kept falling after the rollback while its 5 s window emptied).
     */
    static String chart(VmRollout.Result run, MetricSource metrics, Instant from, Instant to)
            throws InterruptedException {
        Instant end = run.verdictAt() == null ? to : run.verdictAt().plusSeconds(3);
        Map<Instant, Double> canary = points(metrics.range(rate(DrillEnvironment.CANARY_SERVERS), from, end, STEP));
        Map<Instant, Double> stable = points(metrics.range(rate(DrillEnvironment.STABLE_SERVERS), from, end, STEP));
        List<GateChart.RatePoint> rates = grid(canary, stable);
        if (rates.isEmpty()) {
            rates.addAll(GateChart.ratesFrom(run.evidence()));
        }
        GateChart.DecisionMark mark = run.verdictAt() == null ? null
                : new GateChart.DecisionMark(run.verdictAt(), GateDecision.Outcome.ROLLBACK);
        return GateChart.render("Faulty candidate: canary vs stable 5xx rate (5 s windows)", rates, run.weights(), mark);
    }

    /** Every step from the first to the last answered one; a step one arm did not answer is NaN there. */
    static List<GateChart.RatePoint> grid(Map<Instant, Double> canary, Map<Instant, Double> stable) {
        TreeMap<Instant, Double> all = new TreeMap<>(canary);
        all.putAll(stable);
        List<GateChart.RatePoint> rates = new ArrayList<>();
        if (all.isEmpty()) {
            return rates;
        }
        for (Instant at = all.firstKey(); !at.isAfter(all.lastKey()); at = at.plus(STEP)) {
            rates.add(new GateChart.RatePoint(at, canary.getOrDefault(at, Double.NaN), stable.getOrDefault(at, Double.NaN)));
        }
        return rates;
    }

    private static Map<Instant, Double> points(Measurement measurement) {
        Map<Instant, Double> points = new TreeMap<>();
        if (measurement instanceof Measurement.Series series) {
            series.points().forEach(p -> points.put(p.time(), p.value()));
        }
        return points;
    }

    private static String rate(List<String> servers) {
        String selector = "proxy=\"" + LocalHAProxy.BACKEND + "\",server=~\"" + String.join("|", servers) + "\"";
        return "sum(rate(haproxy_server_http_responses_total{" + selector + ",code=\"5xx\"}[5s]))"
                + " / sum(rate(haproxy_server_http_responses_total{" + selector + "}[5s]))";
    }

    /** Each record of the drill, as the store lists it and as stored (pretty-printed). */
    private static String records(Path dir) throws IOException {
        FileRecordStore store = new FileRecordStore(dir);
        StringBuilder text = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        for (RecordSummary summary : store.list("local-drill")) {
            DeploymentRecord record = store.load(summary.build());
            text.append("== ").append(summary.build()).append("  ").append(summary.outcome().status()).append('\n')
                    .append(json.writerWithDefaultPrettyPrinter().writeValueAsString(
                            json.readTree(new RecordCodec().encode(record)))).append("\n\n");
        }
        return text.toString();
    }

    /** The figures, as printed by the CLI and recorded in docs/benchmarks.md. */
    public Map<String, String> figuresOf(LocalDrill.Outcome outcome) {
        return figures(outcome);
    }

    static Map<String, String> figures(LocalDrill.Outcome outcome) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("faulty candidate", outcome.faulty().state().phase() + " — " + outcome.faulty().state().abortReason());
        rows.put("canary requests from fault start to verdict", Long.toString(outcome.requestsToVerdict()));
        rows.put("seconds from fault start to verdict", outcome.timeToVerdict() == null ? "no verdict"
                : String.format("%.1f", outcome.timeToVerdict().toMillis() / 1000.0));
        rows.put("canary share after the rollback", outcome.weightAfterRollback().toString());
        SwitchTiming.Result s = outcome.switching();
        rows.put("switches timed", Integer.toString(s.switches()));
        rows.put("verdict → 100% of new requests on stable, p50 / p99 / max",
                String.format("%.1f / %.1f / %.1f ms", s.p50Millis(), s.p99Millis(), s.maxMillis()));
        rows.put("failed requests caused by switching", s.switchFailures() + " (of " + s.requests() + " sent during switches)");
        rows.put("errors served by the bad version itself", Long.toString(outcome.badVersionErrors()));
        rows.put("live split after the rollback equals the good record", outcome.splitEqualsGood() ? "yes" : "NO");
        rows.put("rollback --to the good build after the rollback", outcome.restoreActions() + " actions"
                + (outcome.restoreActions() == 0 ? " (no-op)" : ""));
        rows.put("healthy candidate", outcome.healthy().state().phase().toString());
        rows.put("lock left on the target", outcome.lockLeft());
        rows.put("records", outcome.records().toString());
        rows.put("verdict", outcome.passed() ? "PASSED" : "FAILED: " + String.join("; ", outcome.problems()));
        return rows;
    }
}
