package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.VmRollout;
import dev.rollbackdeploy.vm.HAProxyGate;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.rollout.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A canary on HAProxy-fronted VMs with a metrics gate at every step; the outcome is recorded. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Run a canary on HAProxy-fronted VMs from a deployment spec (see docs/examples/deploy.yaml): "
                + "shift traffic step by step, ask the metrics gate after each shift, roll back on its own when it "
                + "fails, and record the outcome with the gate's evidence.")
final class DeployCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (YAML or JSON).")
    Path specFile;

    @Override
    ExitCode execute() throws Exception {
        DeploySpec spec = DeploySpec.read(specFile);
        HAProxyTrafficRouter router = new HAProxyTrafficRouter(spec.backend(),
                spec.sockets().stream().map(s -> (dev.rollbackdeploy.haproxy.RuntimeApi) new RuntimeApiClient(s, Duration.ofSeconds(2))).toList());
        try {
            router.validate();
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot reach HAProxy: " + e.getMessage()
                    + "; nothing was changed", e);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage() + "; nothing was changed", e);
        }
        Instant started = clock().instant();
        VmRollout.Result result;
        try (PrometheusMetricSource metrics = new PrometheusMetricSource(PrometheusConfig.of(spec.prometheus().toString())
                .withQueryTimeout(Duration.ofSeconds(5)))) {
            VmRollout run = new VmRollout(router, metrics, HAProxyGate.errorRatio(spec.backend(), spec.healthyErrorRate(),
                    spec.minimumEffect(), spec.interval(), spec.gateMaxDuration()), Map.of(), clock(), console()::progress);
            result = run.drive(HAProxyGate.canary(spec.steps(), spec.gateMaxDuration()));
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
        Phase phase = result.state().phase();
        String reason = result.state().abortReason();
        DeploymentRecord record = Inputs.valid("record", () -> VmRecords.of(spec.build(), spec.buildUrl(),
                System.getProperty("user.name", "cli"),
                new Target.HAProxy(spec.targetKey(), spec.sockets().stream().map(VmRecords::endpoint).toList(),
                        spec.backend().name(), spec.credentialsId()),
                spec.steps(), result, started, clock().instant()));
        store.open().save(record);
        console().result(spec.build() + ": " + phase + (reason == null ? "" : " — " + reason) + "\nrecorded in " + store.dir + "\n");
        console().json(Map.of("build", spec.build().toString(), "outcome", phase.name(),
                "reason", String.valueOf(reason), "looks", result.evidence().size()));
        return switch (phase) {
            case PROMOTED -> ExitCode.OK;
            case ABORTED -> ExitCode.GATE_FAILED;
            default -> ExitCode.INFRASTRUCTURE;
        };
    }

}
