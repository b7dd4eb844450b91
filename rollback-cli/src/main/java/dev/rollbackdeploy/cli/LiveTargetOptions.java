package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.KubernetesTargets;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the live release is: by default the target the record itself names (HAProxy load balancers
 * from its endpoints; a Kubernetes namespace through a kubeconfig); {@code --live-dir} for a local
 * directory target instead.
 */
final class LiveTargetOptions {

    @Option(names = "--live-dir", paramLabel = "DIR",
            description = "Use a local directory target (one canonical JSON file per object, created if missing) instead of the record's own target.")
    Path liveDir;

    @Option(names = "--timeout", defaultValue = "PT2S", paramLabel = "DURATION",
            description = "Per-call timeout for the target's API (ISO-8601, default ${DEFAULT-VALUE}; Kubernetes at least 10 s).")
    Duration timeout;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubernetes records: the kubeconfig (default: $KUBECONFIG, else ~/.kube/config). Never printed.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME",
            description = "Kubernetes records: the kubeconfig context (default: its current-context).")
    String context;

    @Option(names = "--in-cluster", description = "Kubernetes records: use the pod's service account instead of a kubeconfig.")
    boolean inCluster;

    /**
     * The live target and how to name it in messages; closing it closes any client it opened.
     * {@code warnings}: what could not be checked on opening it, to print (they block nothing).
     */
    record Live(Cluster cluster, String description, AutoCloseable resources, List<String> warnings)
            implements AutoCloseable {
        Live(Cluster cluster, String description) {
            this(cluster, description, () -> { }, List.of());
        }

        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    Live open(DeploymentRecord record) throws CliException, OperationException, InterruptedException {
        if (liveDir != null) {
            try {
                return new Live(new DirectoryCluster(liveDir), "live directory " + liveDir);
            } catch (java.io.IOException e) {
                throw new CliException(ExitCode.INFRASTRUCTURE, "cannot open live directory " + liveDir + ": " + e.getMessage(), e);
            }
        }
        if (record.target() instanceof Target.HAProxy haproxy) {
            try {
                return new Live(VmTarget.open(record, timeout), "HAProxy backend " + haproxy.backend() + " on "
                        + haproxy.endpoints());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
            }
        }
        if (record.target() instanceof Target.Kubernetes) {
            Duration requestTimeout = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : timeout;
            KubernetesTargets.Opened opened = KubernetesTargets.open(record,
                    KubernetesTargets.connection(kubeconfig, context, inCluster), requestTimeout);
            return new Live(opened.cluster(), opened.description(), opened, opened.warnings());
        }
        throw new CliException(ExitCode.USAGE, "record of " + record.ref() + " is for " + record.target()
                + "; the CLI restores HAProxy and Kubernetes targets from the record, and local directory targets"
                + " with --live-dir");
    }
}
