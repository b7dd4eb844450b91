package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.Weight;
import java.util.List;
import dev.rollbackdeploy.vm.HAProxyGate;
import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.StoppableRouter;
import dev.rollbackdeploy.vm.VmRollout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A canary or blue-green rollout on HAProxy-fronted VMs with a metrics gate; the outcome is recorded. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Roll out to HAProxy-fronted VMs from a deployment spec (see docs/examples/deploy.yaml). "
                + "canary: shift traffic step by step and ask the metrics gate after each shift. blueGreen: switch all "
                + "traffic to the new servers at once, keep the old ones warm for scaleDownDelay and switch back if the "
                + "new version's error rate fails. Either way it rolls back on its own and records the outcome, the "
                + "traffic split left live, and the gate's evidence. Holds the target's lock throughout.")
final class DeployCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Mixin
    LockOption lock;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (YAML or JSON).")
    Path specFile;

    @Override
    ExitCode execute() throws Exception {
        DeploySpec spec = DeploySpec.read(specFile);
        try (TargetLock.Held held = lock.acquire(store.dir, spec.targetKey(), spec.build().toString(), console()::progress)) {
            console().progress("holding the lock of target " + spec.targetKey());
            HAProxyTrafficRouter haproxy = spec.validatedRouter();
            return deploy(spec, haproxy, new HAProxyCluster(haproxy));
        }
    }

    private ExitCode deploy(DeploySpec spec, HAProxyTrafficRouter haproxy, HAProxyCluster cluster) throws Exception {
        FileRecordStore records = store.open();
        // The newest promoted build: the one a blue-green switch-back restores.
        Optional<BuildRef> previous = Records.latest(records, spec.targetKey(),
                r -> r.outcome().status() == Outcome.Status.PROMOTED).map(DeploymentRecord::ref);
        Instant started = clock().instant();
        StoppableRouter router = new StoppableRouter(haproxy);
        AtomicBoolean recorded = new AtomicBoolean();
        Thread onSignal = new Thread(() -> stopOnSignal(spec, router, cluster, records, previous, started, recorded),
                "deploy-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return run(spec, router, cluster, records, previous, started, recorded);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it finishes the job
            }
        }
    }

    /**
     * Ctrl-C or SIGTERM in the middle of a rollout: all new requests back on stable first, then the
     * outcome recorded as aborted, so nothing is lost and traffic is never left on a half-checked version.
     */
    private void stopOnSignal(DeploySpec spec, StoppableRouter router, HAProxyCluster cluster, FileRecordStore records,
            Optional<BuildRef> previous, Instant started, AtomicBoolean recorded) {
        console().progress("interrupted: putting all new requests back on stable " + spec.backend().stableServers());
        try {
            router.stopOnStable();
            console().progress("traffic is on stable, confirmed on every load balancer");
        } catch (IOException | InterruptedException e) {
            console().progress("COULD NOT put traffic back on stable: " + e.getMessage()
                    + " — the split is unknown; check with `rollback diff` and `rollback --to` the previous build");
        }
        if (recorded.compareAndSet(false, true)) {
            try {
                String reason = "interrupted by a signal (Ctrl-C or SIGTERM) while rolling out; traffic put back on stable";
                VmRollout.Result stopped = new VmRollout.Result(new RolloutState(Phase.ABORTED, 0,
                        Weight.NONE, started, clock().instant(), reason, false, true, null, false), List.of(), List.of(),
                        clock().instant(), null);
                records.save(record(spec, liveSplit(cluster), stopped, previous, started));
                console().progress("recorded " + spec.build() + " as ABORTED in " + store.dir);
            } catch (Exception e) {
                console().progress("could not record the interrupted rollout: " + e.getMessage());
            }
        }
    }

    private ExitCode run(DeploySpec spec, StoppableRouter router, HAProxyCluster cluster, FileRecordStore records,
            Optional<BuildRef> previous, Instant started, AtomicBoolean recorded) throws Exception {
        boolean blueGreen = spec.strategy() == DeploySpec.Strategy.BLUE_GREEN;
        VmRollout.Result result;
        try (PrometheusMetricSource metrics = spec.metrics()) {
            GateSpec steps = spec.stepGate();
            GateSpec afterSwitch = blueGreen ? HAProxyGate.afterSwitch(spec.backend(), spec.maxErrorRate(), spec.minRequests(),
                    spec.interval(), spec.scaleDownDelay()) : null;
            RolloutSpec rollout = blueGreen ? HAProxyGate.blueGreen(spec.scaleDownDelay())
                    : HAProxyGate.canary(spec.steps(), spec.gateMaxDuration());
            console().progress((blueGreen ? "blue-green: switch to " + spec.backend().canaryServers() + ", keep "
                    + spec.backend().stableServers() + " warm for " + spec.scaleDownDelay().toSeconds() + " s"
                    : "canary: steps " + spec.steps()) + (previous.map(p -> "; live before: " + p).orElse("")));
            result = new VmRollout(router, metrics, steps, afterSwitch, Map.of(), clock(), console()::progress).drive(rollout);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
        Phase phase = result.state().phase();
        String reason = result.state().abortReason();
        ManifestSet split = liveSplit(cluster);
        DeploymentRecord record = record(spec, split, result, previous, started);
        if (!recorded.compareAndSet(false, true)) {
            return ExitCode.GATE_FAILED;
        }
        records.save(record);
        console().result(spec.build() + ": " + phase + (reason == null ? "" : " — " + reason) + "\nrecorded in " + store.dir + "\n");
        console().json(Map.of("build", spec.build().toString(), "outcome", phase.name(),
                "reason", String.valueOf(reason), "looks", result.evidence().size()));
        return switch (phase) {
            case PROMOTED -> ExitCode.OK;
            case ABORTED, ROLLED_BACK -> ExitCode.GATE_FAILED;
            default -> ExitCode.INFRASTRUCTURE;
        };
    }

    private DeploymentRecord record(DeploySpec spec, ManifestSet split, VmRollout.Result result, Optional<BuildRef> previous,
            Instant started) throws CliException {
        StrategySpec strategy = spec.strategy() == DeploySpec.Strategy.BLUE_GREEN
                ? new StrategySpec(StrategyKind.BLUE_GREEN, Map.of("scaleDownDelay", spec.scaleDownDelay().toString()))
                : new StrategySpec(StrategyKind.CANARY, Map.of("steps", spec.steps().toString()));
        return Inputs.valid("record", () -> VmRecords.of(spec.build(), spec.buildUrl(), System.getProperty("user.name", "cli"),
                spec.target(),
                strategy, split, result, previous, started, clock().instant()));
    }

    /** The traffic split the rollout left, read back from the load balancers: the release this record holds. */
    private ManifestSet liveSplit(HAProxyCluster cluster) throws InterruptedException {
        try {
            return cluster.observe().objects();
        } catch (IOException e) {
            console().progress("WARNING: the rollout ended but the split left live cannot be read back (" + e.getMessage()
                    + "); the outcome is recorded without it, so this build cannot be restored with `rollback --to`");
            return ManifestSet.empty();
        }
    }
}
