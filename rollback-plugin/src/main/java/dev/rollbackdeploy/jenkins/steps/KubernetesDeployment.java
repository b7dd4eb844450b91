package dev.rollbackdeploy.jenkins.steps;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import dev.rollbackdeploy.jenkins.config.KubernetesClusterConfig;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.config.SecretLookup;
import dev.rollbackdeploy.operations.SpecBuilder;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates {@code canaryDeploy}'s Kubernetes fields into the front door's {@code target.kubernetes}: the
 * configured cluster by name, its kubeconfig (or token) from the credential as the run sees it, handed over
 * as a ready {@code KubernetesConnection} (never a file), and this build's manifests. The manifests are read
 * from the workspace on whatever node holds it (through {@link FilePath}) once, in the first round, and kept
 * beside the build ({@code <build>/rollback-deploy/manifests/}), so a controller restart resumes from the same
 * files even when the workspace is gone.
 */
final class KubernetesDeployment {

    private KubernetesDeployment() {
    }

    /** Where the build's copy of its manifests lives. */
    static Path manifestsDir(Run<?, ?> run) {
        return run.getRootDir().toPath().resolve("rollback-deploy").resolve("manifests");
    }

    /** The manifest paths as the user listed them: commas or new lines between them. */
    static List<String> paths(String manifests) {
        List<String> out = new ArrayList<>();
        if (manifests != null) {
            for (String p : manifests.split("[,\\n]")) {
                if (!p.isBlank()) {
                    out.add(p.strip());
                }
            }
        }
        return out;
    }

    /**
     * Copies the listed manifests from the workspace into the build's directory, unless a previous start did;
     * each as {@code <index>-<file name>}, so that two files of one name do not collide.
     *
     * @throws AbortException no workspace (not inside {@code node}), or a file that is not there
     */
    static List<String> stage(Run<?, ?> run, FilePath workspace, String manifests)
            throws IOException, InterruptedException {
        List<String> paths = paths(manifests);
        Path dir = manifestsDir(run);
        List<String> local = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String name = i + "-" + Path.of(paths.get(i)).getFileName();
            local.add(name);
            Path copy = dir.resolve(name);
            if (Files.isRegularFile(copy)) {
                continue;
            }
            if (workspace == null) {
                throw new AbortException(Messages.KubernetesDeployment_NoWorkspace(paths.get(i)));
            }
            FilePath file = workspace.child(paths.get(i));
            if (!file.exists() || file.isDirectory()) {
                throw new AbortException(Messages.KubernetesDeployment_NoManifest(paths.get(i), workspace.getRemote()));
            }
            Files.createDirectories(dir);
            Path partial = dir.resolve(name + ".part");
            file.copyTo(new FilePath(partial.toFile()));
            Files.move(partial, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return local;
    }

    /**
     * Sets the Kubernetes target on {@code builder} (the front door validates every field, all at once).
     *
     * @throws AbortException the cluster is not configured, its credential is missing or unusable
     */
    static void applyTo(SpecBuilder builder, Run<?, ?> run, CanaryDeployStep step, List<String> manifests)
            throws AbortException {
        RollbackConfiguration config = RollbackConfiguration.get();
        KubernetesClusterConfig cluster = config.kubernetesCluster(step.getCluster()).orElseThrow(() -> new AbortException(
                Messages.KubernetesDeployment_UnknownCluster(step.getCluster(), config.getKubernetesClusters().stream()
                        .map(KubernetesClusterConfig::getName).toList())));
        StandardCredentials credential = SecretLookup.forRun(run, cluster.getCredentialsId(), StandardCredentials.class,
                "Kubernetes cluster " + cluster.getName());
        try {
            builder.kubernetesConnection(cluster.connection(credential));
        } catch (IOException | IllegalArgumentException e) {
            throw new AbortException("Kubernetes cluster " + cluster.getName() + ": " + e.getMessage());
        }
        builder.targetKey(step.getTarget())
                .credentialsId(cluster.getCredentialsId())
                // restores find the configured cluster by the name the record carries (KubernetesTargetsFromConfig)
                .kubernetesClusterName(cluster.getName())
                .namespace(step.getNamespace() != null ? step.getNamespace() : cluster.getNamespace())
                .manifests(manifests.isEmpty() ? null : manifests)
                .baseDirectory(manifestsDir(run))
                .stableWorkload(step.getStable())
                .canaryWorkload(step.getCanary())
                .traffic(step.getTraffic())
                .route(step.getRoute())
                .service(step.getService());
    }
}
