package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.drill.DrillReportWriter;
import dev.rollbackdeploy.drill.LocalDrill;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The local drill: real HAProxy, real Prometheus, real traffic; a bad canary must be caught and rolled back. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Run the local rollback drill on loopback: HAProxy in front of a sample service, Prometheus "
                + "scraping it, keep-alive load; a faulty canary must be caught and rolled back on its own, switches "
                + "are timed, and a healthy canary must be promoted. Installs haproxy and prometheus when missing.",
                "Ctrl-C puts traffic back on stable, then stops everything."})
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

    @Override
    ExitCode execute() throws Exception {
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
        console().result(text.toString());
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("passed", outcome.passed());
        json.put("report", report.toAbsolutePath().toString());
        console().json(json);
        return outcome.passed() ? ExitCode.OK : ExitCode.DRILL_FAILED;
    }
}
