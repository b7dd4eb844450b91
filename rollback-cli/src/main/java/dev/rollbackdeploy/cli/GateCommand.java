package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.gate.Evidence;
import dev.rollbackdeploy.gate.GateEvaluator;
import dev.rollbackdeploy.gate.GateProbe;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.GateState;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Asks the metrics gate about the traffic as it is now; changes nothing. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Run the metrics gate of a deployment spec against the live canary, one look per interval, "
                + "until it decides; changes no traffic. Exit 0 when it would promote, 3 when it says roll back.")
final class GateCommand extends CliCommand {

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (YAML or JSON).")
    Path specFile;

    @Override
    ExitCode execute() throws Exception {
        DeploySpec spec = DeploySpec.read(specFile);
        GateSpec gate = spec.stepGate();
        GateEvaluator.Look look;
        try (PrometheusMetricSource metrics = spec.metrics()) {
            GateState state = GateState.start(clock().instant());
            do {
                Thread.sleep(gate.interval().toMillis());
                look = GateProbe.lookOnce(gate, state, metrics, Map.of(), clock().instant());
                state = look.state();
                for (Evidence evidence : look.decision().evidence()) {
                    console().progress("look " + state.looks() + ": " + evidence.verdict().kind() + " " + evidence.values());
                }
            } while (!state.finished());
        }
        console().result("gate: " + look.decision().outcome() + " — " + look.decision().reason() + "\n");
        console().json(Map.of("outcome", look.decision().outcome().name(), "reason", look.decision().reason()));
        return switch (look.decision().outcome()) {
            case PROMOTE -> ExitCode.OK;
            case ROLLBACK -> ExitCode.GATE_FAILED;
            case HOLD -> ExitCode.GATE_FAILED; // evidence ran out and the spec says wait for a person: not a pass
        };
    }
}
