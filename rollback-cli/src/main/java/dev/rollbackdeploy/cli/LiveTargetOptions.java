package dev.rollbackdeploy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the live release is. For now a local directory target (one canonical JSON file per object);
 * Kubernetes and HAProxy targets plug in here as their adapters land.
 */
final class LiveTargetOptions {

    @Option(names = "--live-dir", required = true, paramLabel = "DIR",
            description = "Local directory target holding the live objects (created if missing).")
    Path liveDir;

    DirectoryCluster open() throws CliException {
        try {
            return new DirectoryCluster(liveDir);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot open live directory " + liveDir + ": " + e.getMessage(), e);
        }
    }
}
