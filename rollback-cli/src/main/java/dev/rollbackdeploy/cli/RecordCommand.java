package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.ContainerImage;
import dev.rollbackdeploy.manifest.ImagePinner;
import dev.rollbackdeploy.manifest.ManifestException;
import dev.rollbackdeploy.manifest.ManifestReader;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.UnpinnedImages;
import dev.rollbackdeploy.operations.DeploySafety;
import dev.rollbackdeploy.operations.RecordedRelease;
import dev.rollbackdeploy.operations.SafetyFields;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordConflictException;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Records what a build put live: manifests canonicalised and pinned to digests, hashed, stored and audited. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Record a build's release: read its manifests, pin every image to its digest, store the record.")
final class RecordCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Option(names = "--build", required = true, paramLabel = "JOB#N", description = "The build, e.g. team/shop#42.")
    String build;

    @Option(names = "--manifests", required = true, split = ",", paramLabel = "FILE",
            description = "Manifest files (multi-document YAML or JSON), comma-separated or repeated.")
    List<Path> manifests;

    @Option(names = "--digests", paramLabel = "FILE",
            description = "YAML map of image reference to the digest its tag resolved to; needed only when an image "
                    + "in the manifests is not already pinned by digest.")
    Path digests;

    @Option(names = "--target", required = true, paramLabel = "KEY", description = "Target key that groups records.")
    String targetKey;

    @Option(names = "--namespace", required = true, description = "Kubernetes namespace of the target.")
    String namespace;

    @Option(names = "--cluster", defaultValue = "local", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--server", defaultValue = "https://127.0.0.1:6443",
            description = "API server URL (default: ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--credentials-id", defaultValue = "kubeconfig",
            description = "Id of the credentials that reach the target, never the secret (default: ${DEFAULT-VALUE}, the local kubeconfig).")
    String credentialsId;

    @Option(names = "--strategy", defaultValue = "IMMUTABLE", description = "One of ${COMPLETION-CANDIDATES}.")
    StrategyKind strategy;

    @Option(names = "--build-url", required = true, paramLabel = "URL", description = "The build's page (http or https).")
    URI buildUrl;

    @Option(names = "--actor", defaultValue = "${sys:user.name}", description = "Who deployed (default: ${DEFAULT-VALUE}).")
    String actor;

    @Option(names = "--schema-version", paramLabel = "V", description = "The schema version the build runs with, "
            + "e.g. 3 or 2.1.0 (Flyway's); default: read from --datasource when given, else none recorded.")
    String schemaVersion;

    @Option(names = "--schema-compatible-from", paramLabel = "V", description = "The oldest schema the build runs on (default: --schema-version).")
    String schemaFrom;

    @Option(names = "--schema-compatible-to", paramLabel = "V", description = "The newest schema the build is known to run on (default: --schema-version).")
    String schemaTo;

    @Mixin
    DatasourceOptions datasource;

    @Override
    ExitCode execute() throws Exception {
        BuildRef ref = Inputs.build("--build", build);
        DeploySafety safety = DeploySafety.of(new SafetyFields().schema(schemaVersion, schemaFrom, schemaTo)
                .toSafety("rollback record").schema(console()::progress), datasource.open(), Optional.empty());
        Map<ImageRef, Digest> resolved = digests == null ? Map.of() : DigestsFile.read(digests);
        ManifestSet given;
        ManifestSet pinned;
        try {
            given = new ManifestReader().read(manifests);
            requireDigests(ImagePinner.images(given), resolved);
            pinned = ImagePinner.pin(given, resolved);
        } catch (ManifestException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
        List<DeployedWorkload> workloads = new ArrayList<>();
        for (ContainerImage image : ImagePinner.images(given)) {
            Digest digest = image.image().digestIfAny().orElseGet(() -> resolved.get(image.image()));
            workloads.add(new DeployedWorkload(image.workload(), image.image(), digest));
        }
        DeploymentRecord record = Inputs.valid("record", () -> new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, buildUrl, actor),
                new Target.Kubernetes(targetKey, cluster, server, namespace, credentialsId),
                workloads, pinned, new StrategySpec(strategy, Map.of()), List.of(), Outcome.deployed(),
                clock().instant(), clock().instant()));
        record = safety.facts(record, console()::progress);
        try {
            RecordedRelease.save(context(store.dir, Duration.ZERO), record, "rollback record");
        } catch (RecordConflictException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
        console().progress("recorded " + ref + ": " + pinned.size() + " objects, set " + pinned.setHash());
        StringBuilder text = new StringBuilder("Recorded ").append(ref).append(" for target ").append(targetKey)
                .append(": ").append(pinned.size()).append(" objects, template set ").append(pinned.setHash()).append('\n');
        workloads.forEach(w -> text.append("  ").append(w.workload()).append(": ").append(w.image()).append(" -> ")
                .append(w.digest()).append('\n'));
        List<String> unpinned = UnpinnedImages.of(pinned);
        if (!unpinned.isEmpty()) {
            console().progress("warning: " + unpinned.size() + " image field(s) outside pod templates are recorded by tag");
            text.append("Left unpinned (outside any pod template, so not known to be a container image):\n");
            unpinned.forEach(u -> text.append("  ").append(u).append('\n'));
        }
        console().result(text.toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("build", ref.toString());
        json.put("target", targetKey);
        json.put("objects", pinned.size());
        json.put("setHash", pinned.setHash().toString());
        json.put("images", workloads.stream().map(w -> Map.of("workload", w.workload().toString(),
                "image", w.image().toString(), "digest", w.digest().toString())).toList());
        json.put("unpinned", unpinned);
        console().json(json);
        return ExitCode.OK;
    }

    /** Every image without a digest must have an entry; all missing ones are named at once. */
    private void requireDigests(List<ContainerImage> images, Map<ImageRef, Digest> resolved) throws CliException {
        List<ContainerImage> missing = images.stream()
                .filter(c -> c.image().digestIfAny().isEmpty() && !resolved.containsKey(c.image())).toList();
        if (missing.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        message.append(missing.size()).append(" image(s) in the manifests are not pinned to a digest");
        message.append(digests == null ? " and no --digests file was given" : " and digests file " + digests
                + " does not list them");
        message.append(":\n");
        missing.forEach(c -> message.append("  ").append(c.workload()).append(": ").append(c.image()).append('\n'));
        message.append("Give ").append(digests == null ? "--digests FILE with" : "that file")
                .append(" a line for each, e.g.\n  ").append(DigestsFile.exampleLine(missing.get(0).image()))
                .append("\n(or write the images as image@sha256:... in the manifests)");
        throw new CliException(ExitCode.USAGE, message.toString());
    }
}
