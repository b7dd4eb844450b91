package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.GateEvidence;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordCodec;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.manifest.WorkloadRef;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Realistic records for benchmarks: a Deployment, a Service and 18 ConfigMaps of ten ~40-character
 * entries each (20 objects, about 14 KB of JSON per record).
 */
public final class BenchRecords {

    public static final String TARGET = "prod-shop";
    public static final String JOB = "team/shop";
    static final int OBJECTS = 20;
    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private BenchRecords() {
    }

    /** Build {@code number}; the newest five of {@code total} were aborted, the rest promoted. */
    public static DeploymentRecord record(int number, int total) {
        BuildRef ref = new BuildRef(JOB, number);
        Digest digest = Digest.sha256Of(("web-" + number).getBytes(StandardCharsets.UTF_8));
        Outcome outcome = number > total - 5 ? Outcome.aborted("error rate 4.1% above 1% at step 2")
                : Outcome.promoted();
        Instant started = T0.plusSeconds(600L * number);
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT,
                new BuildInfo(ref, URI.create("https://ci.example.com/job/team/job/shop/" + number + "/"), "alice"),
                new Target.Kubernetes(TARGET, "prod-eu", URI.create("https://k8s.example.com:6443"), "shop", "kube-prod"),
                List.of(new DeployedWorkload(new WorkloadRef(WEB, "app"), ImageRef.parse("ghcr.io/acme/web:1." + number),
                        digest)),
                manifests(number, digest),
                new StrategySpec(StrategyKind.CANARY, Map.of("steps", "10,50,100", "pause", "5m")),
                List.of(new GateEvidence("{\"gate\":\"error-rate\",\"query\":\"sum(rate(http_errors[1m]))\","
                        + "\"value\":0.002,\"verdict\":\"PASS\"}")),
                outcome, started, started.plusSeconds(420));
    }

    static ManifestSet manifests(int number, Digest digest) {
        List<CanonicalObject> objects = new ArrayList<>();
        objects.add(CanonicalObject.of(WEB, "apps/v1", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"labels\":{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":"
                + "{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"image\":\"ghcr.io/acme/web@" + digest
                + "\",\"name\":\"app\",\"ports\":[{\"containerPort\":8080}]}]}}}}"));
        objects.add(CanonicalObject.of(new ObjectKey("", "Service", "shop", "web"), "v1", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"ports\":"
                + "[{\"port\":80,\"targetPort\":8080}],\"selector\":{\"app\":\"web\"}}}"));
        for (int i = 0; i < OBJECTS - 2; i++) {
            StringBuilder data = new StringBuilder();
            for (int k = 0; k < 10; k++) {
                data.append(k == 0 ? "" : ",").append("\"key-").append(k).append("\":\"value ").append(number)
                        .append('-').append(i).append('-').append(k).append(" lorem ipsum dolor sit amet\"");
            }
            objects.add(CanonicalObject.of(new ObjectKey("", "ConfigMap", "shop", "config-" + i), "v1",
                    "{\"apiVersion\":\"v1\",\"data\":{" + data + "},\"kind\":\"ConfigMap\",\"metadata\":{\"labels\":"
                            + "{\"app\":\"web\"},\"name\":\"config-" + i + "\",\"namespace\":\"shop\"}}"));
        }
        return ManifestSet.of(objects);
    }

    /**
     * Writes records 1..count straight into FileRecordStore's layout ({@code <target>/<job>/<n>.json},
     * names as PathEncoding writes them) without the per-save fsyncs, which would make setting up
     * 10,000 records take minutes and are not what the benchmarks measure.
     */
    public static Path populate(int count) throws IOException {
        Path root = Files.createTempDirectory("record-bench");
        Path jobDir = Files.createDirectories(root.resolve(TARGET).resolve("team%2Fshop"));
        RecordCodec codec = new RecordCodec();
        for (int number = 1; number <= count; number++) {
            Files.write(jobDir.resolve(number + ".json"), codec.encode(record(number, count)));
        }
        return root;
    }

    public static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
