package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.vm.VmTarget;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the live release is: by default the target the record itself names (HAProxy load balancers
 * from its endpoints); {@code --live-dir} for a local directory target instead.
 */
final class LiveTargetOptions {

    @Option(names = "--live-dir", paramLabel = "DIR",
            description = "Use a local directory target (one canonical JSON file per object, created if missing) instead of the record's own target.")
    Path liveDir;

    @Option(names = "--timeout", defaultValue = "PT2S", paramLabel = "DURATION",
            description = "Per-call timeout for the target's API (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The live target and how to name it in messages. */
    record Live(Cluster cluster, String description) {
    }

    Live open(DeploymentRecord record) throws CliException {
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
        throw new CliException(ExitCode.USAGE, "record of " + record.ref() + " is for " + record.target()
                + "; the CLI restores HAProxy targets from the record, and local directory targets with --live-dir."
                + " Kubernetes targets are restored by the Jenkins rollbackTo step");
    }
}
