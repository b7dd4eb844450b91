package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.DeployState;
import dev.rollbackdeploy.operations.DeploySafety;
import dev.rollbackdeploy.operations.Deployment;
import dev.rollbackdeploy.operations.DeploymentSpec;
import dev.rollbackdeploy.operations.SafetySpecFile;
import dev.rollbackdeploy.operations.SpecFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A canary or blue-green rollout on HAProxy-fronted VMs or Kubernetes with a metrics gate; the outcome is recorded. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Roll out to HAProxy-fronted VMs or to Kubernetes from a deployment spec (see "
                + "docs/examples/deploy.yaml and kubernetes.yaml). canary: shift traffic step by step and ask the metrics "
                + "gate after each shift; on Kubernetes a promoted canary is finished: stable rolled onto the new template, "
                + "traffic back on it, the canary at 0. blueGreen: switch all traffic to the new version at once, keep the "
                + "old one warm for scaleDownDelay while the new version's error rate is watched every interval, and switch "
                + "back if it fails. Either way it rolls back on its own and records the outcome, what was left live (on "
                + "Kubernetes: the release with every image pinned to its digest), and the gate's evidence. Holds the "
                + "target's lock throughout (on Kubernetes also a Lease in the namespace). Deploying a build already "
                + "recorded changes nothing: exit 0 when it is live as recorded, else exit 6.")
final class DeployCommand extends CliCommand {

    static final String SIGNAL_REASON = "interrupted by a signal (Ctrl-C or SIGTERM) while rolling out";

    @Mixin
    StoreOption store;

    @Mixin
    LockOption lock;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The deployment spec (YAML or JSON).")
    Path specFile;

    @Override
    ExitCode execute() throws Exception {
        DeploymentSpec spec = SpecFile.read(specFile);
        DeploySafety safety = SafetySpecFile.read(specFile, System::getenv);
        AtomicReference<DeployState> current = new AtomicReference<>();
        try (Deployment deployment = Deployment.of(spec, context(store.dir, lock.checkedWait())).withSafety(safety)) {
            // Ctrl-C or SIGTERM mid-rollout: all new requests back on stable first, then the abort recorded.
            Thread onSignal = new Thread(() -> stopOnSignal(deployment, current.get()), "deploy-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                return report(spec, deployment.runToEnd(current::set));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it finishes the job
                }
            }
        }
    }

    private void stopOnSignal(Deployment deployment, DeployState state) {
        if (state == null) {
            return; // nothing written yet
        }
        console().progress("interrupted: putting all new requests back on stable " + deployment.stableName());
        try {
            deployment.stop(state, SIGNAL_REASON);
        } catch (Exception e) {
            console().progress("could not record the interrupted rollout: " + e.getMessage());
        }
    }

    private ExitCode report(DeploymentSpec spec, Deployment.Finished finished) {
        String reason = finished.reason();
        console().result(spec.build() + ": " + finished.status() + (reason == null ? "" : " — " + reason)
                + (finished.record() == null ? "" : "\nrecorded in " + store.dir) + "\n");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("build", spec.build().toString());
        json.put("outcome", finished.status().name());
        json.put("reason", String.valueOf(reason));
        json.put("looks", finished.looks());
        console().json(json);
        return switch (finished.status()) {
            case PROMOTED, ALREADY_LIVE -> ExitCode.OK;
            case ABORTED, ROLLED_BACK -> ExitCode.GATE_FAILED;
            case FAILED -> ExitCode.INFRASTRUCTURE;
        };
    }
}
