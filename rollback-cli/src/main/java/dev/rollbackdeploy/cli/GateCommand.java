package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.GateCheck;
import dev.rollbackdeploy.operations.SpecFile;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Asks the spec's own metrics gate about the traffic as it is now; changes nothing. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Run the metrics gate of a deployment spec against the live traffic, one look per interval, until "
                + "it decides; changes no traffic. A canary spec runs its canary-vs-stable gate, a blueGreen spec its "
                + "after-switch gate on the new version. Exit 0 when it would promote, 3 when the metrics say roll back, "
                + "5 when the metrics server could not be used (unreachable, refused, an error page: that says nothing "
                + "about the canary). The verdict is appended to the audit log beside --store.")
final class GateCommand extends CliCommand {

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (YAML or JSON).")
    Path specFile;

    @Mixin
    StoreOption store;

    @Override
    ExitCode execute() throws Exception {
        DeploymentSpec spec = SpecFile.read(specFile);
        GateCheck.Verdict verdict;
        try (PrometheusMetricSource metrics = spec.metrics()) {
            GateCheck check = new GateCheck(spec, metrics);
            verdict = check.run(clock(), console()::progress);
            check.audit(context(store.dir, Duration.ZERO), verdict, "rollback gate --spec " + specFile);
        }
        console().json(Map.of("outcome", verdict.outcome().name(), "reason", verdict.reason(),
                "metricsUnusable", verdict.metricsUnusable()));
        if (verdict.metricsUnusable()) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "the metrics server " + spec.prometheus() + " could not be used,"
                    + " so the gate cannot judge the canary: " + verdict.reason());
        }
        console().result("gate: " + verdict.outcome() + " — " + verdict.reason() + "\n");
        return switch (verdict.outcome()) {
            case PROMOTE -> ExitCode.OK;
            case ROLLBACK -> ExitCode.GATE_FAILED;
            case HOLD -> ExitCode.GATE_FAILED; // evidence ran out and the spec says wait for a person: not a pass
        };
    }
}
