package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.drill.DrillReportWriter;
import dev.rollbackdeploy.drill.HtmlReport;
import dev.rollbackdeploy.drill.LocalDrill;
import dev.rollbackdeploy.gate.GateChart;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.Drill;
import dev.rollbackdeploy.operations.SpecFile;
import dev.rollbackdeploy.operations.StagingDrill;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The local drill: real HAProxy, real Prometheus, real traffic; a bad canary must be caught and rolled back. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Run the local rollback drill on loopback: HAProxy in front of a sample service, Prometheus "
                + "scraping it, keep-alive load; a faulty canary must be caught and rolled back on its own, switches "
                + "are timed, and a healthy canary must be promoted. Installs haproxy and prometheus when missing.",
                "Ctrl-C puts traffic back on stable, then stops everything.",
                "With --spec: a drill against a staging target instead. HAProxy VMs: put a deliberately faulty candidate on "
                + "the spec's canary servers first. Kubernetes: the spec's manifests are the faulty candidate's. The drill "
                + "canaries it with the spec's gate and passes when it was rolled back on its own within --verdict-slo, what "
                + "serves traffic then equals the last promoted build's record (VMs: else the drill restores it; Kubernetes: "
                + "it names the rollback --to that does) and no lock is left. The run is recorded in --store."})
final class DrillCommand extends CliCommand {

    @Option(names = "--report", defaultValue = "reports/drill.html", paramLabel = "FILE",
            description = "Where to write the HTML report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--switches", defaultValue = "100", description = "Rollbacks to time (default: ${DEFAULT-VALUE}).")
    int switches;

    @Option(names = "--rps", defaultValue = "200", description = "Requests per second of load (default: ${DEFAULT-VALUE}).")
    double requestsPerSecond;

    @Option(names = "--fault", defaultValue = "0.2", description = "Error rate of the faulty candidate (default: ${DEFAULT-VALUE}).")
    double fault;

    @Option(names = "--verdict-slo", defaultValue = "PT60S", description = "Longest acceptable detection time (default: ${DEFAULT-VALUE}).")
    Duration slo;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Drill a staging target from a canary deployment spec (see docs/examples/deploy.yaml, kubernetes.yaml) instead of the local one.")
    Path spec;

    @Mixin
    StoreOption store;

    @Override
    ExitCode execute() throws Exception {
        if (spec != null) {
            return staging();
        }
        LocalDrill.Options options = Inputs.valid("drill", () -> new LocalDrill.Options(requestsPerSecond, fault, switches, slo));
        DrillReportWriter writer = new DrillReportWriter(report, clock(), console()::progress);
        LocalDrill.Outcome outcome;
        try {
            outcome = new LocalDrill(options, clock(), writer).run(writer);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "the drill could not run: " + e.getMessage(), e);
        }
        Map<String, String> figures = writer.figuresOf(outcome);
        StringBuilder text = new StringBuilder("\nDrill ").append(outcome.passed() ? "PASSED" : "FAILED").append('\n');
        figures.forEach((name, value) -> text.append(String.format("  %-58s %s%n", name, value)));
        text.append("Report: ").append(report.toAbsolutePath()).append('\n');
        text.append("Records: ").append(outcome.records()).append(" (rollback audit --verify --store ")
                .append(outcome.records()).append(")\n");
        console().result(text.toString());
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("passed", outcome.passed());
        json.put("report", report.toAbsolutePath().toString());
        json.put("records", outcome.records().toString());
        console().json(json);
        return outcome.passed() ? ExitCode.OK : ExitCode.DRILL_FAILED;
    }

    private ExitCode staging() throws Exception {
        DeploymentSpec target = SpecFile.read(spec);
        StagingDrill.Verdict verdict = Drill.staging(target, context(store.dir, java.time.Duration.ZERO), slo);
        Map<String, String> figures = verdict.figures();
        HtmlReport html = new HtmlReport("Rollback drill of " + target.target().key() + ": " + (verdict.passed() ? "PASSED" : "FAILED"))
                .table("Figures", figures)
                .chart("Canary vs baseline 5xx rate and canary weight", GateChart.render("Gate looks",
                        GateChart.ratesFrom(verdict.run().evidence()), verdict.run().weights(),
                        verdict.run().verdictAt() == null ? null
                                : new GateChart.DecisionMark(verdict.run().verdictAt(), GateDecision.Outcome.ROLLBACK)));
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        java.nio.file.Files.writeString(report, html.render());
        StringBuilder text = new StringBuilder("\nDrill of ").append(target.target().key()).append(' ')
                .append(verdict.passed() ? "PASSED" : "FAILED").append('\n');
        figures.forEach((name, value) -> text.append(String.format("  %-58s %s%n", name, value)));
        text.append("Report: ").append(report.toAbsolutePath()).append('\n');
        console().result(text.toString());
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("passed", verdict.passed());
        json.put("report", report.toAbsolutePath().toString());
        console().json(json);
        return verdict.passed() ? ExitCode.OK : ExitCode.DRILL_FAILED;
    }
}
