package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the example release in docs/examples/shop: results, exit codes, and what stays untouched. */
class RollbackCliTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "shop");

    @TempDir
    Path work;

    private String out;
    private String err;

    private int run(String... args) {
        CliRun run = CliRun.of(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), args);
        out = run.out();
        err = run.err();
        return run.exit();
    }

    private int record(int build, String... manifests) {
        return run("record", "--store", store(), "--target", "shop-local", "--namespace", "shop",
                "--digests", EXAMPLE.resolve("digests.yaml").toString(), "--build", "shop#" + build,
                "--build-url", "https://ci.example.com/job/shop/" + build + "/",
                "--manifests", String.join(",", manifests));
    }

    private int recordExample(int build) {
        return record(build, EXAMPLE.resolve("build-" + build + "/app.yaml").toString(),
                EXAMPLE.resolve("build-" + build + "/service.json").toString());
    }

    private String store() {
        return work.resolve("records").toString();
    }

    private String live() {
        return work.resolve("live").toString();
    }

    @BeforeEach
    void recordBothBuilds() {
        assertThat(recordExample(41)).as(err).isZero();
        assertThat(recordExample(42)).as(err).isZero();
    }

    @Test
    void recordsPinEveryImageToItsDigest() {
        assertThat(run("--json", "history", "--store", store(), "--target", "shop-local")).as(err).isZero();

        assertThat(out).contains("\"build\" : \"shop#42\"").contains("\"build\" : \"shop#41\"");
        assertThat(out.indexOf("shop#42")).isLessThan(out.indexOf("shop#41"));
    }

    @Test
    void secondRestoreMakesNoWrites() {
        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#42")).as(err).isZero();
        assertThat(run("--json", "rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#41", "--prune"))
                .as(err).isZero();
        assertThat(out).contains("\"writes\" : 3");

        assertThat(run("--json", "rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#41", "--prune"))
                .as(err).isZero();
        assertThat(out).contains("\"writes\" : 0").contains("\"inSync\" : true");
    }

    @Test
    void diffShowsTheImageAndConfigChangesAndChangesNothing() throws Exception {
        run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#42");
        byte[] before = snapshot(Path.of(live()));

        assertThat(run("diff", "--store", store(), "--live-dir", live(), "shop#41")).as(err).isZero();

        assertThat(out).contains("ghcr.io/acme/shop:1.5.0@sha256:9f86").contains("-> ghcr.io/acme/shop:1.4.2@sha256:4b2b")
                .contains("data.CHECKOUT_MODE: \"one-click\" -> \"classic\"").contains("- ConfigMap/shop/shop-feature-flags");
        assertThat(snapshot(Path.of(live()))).isEqualTo(before);
    }

    @Test
    void unknownBuildIsAUsageErrorNamingIt() {
        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#7")).isEqualTo(2);
        assertThat(err).contains("shop#7");
    }

    @Test
    void tamperedRecordIsRefusedAndNothingIsRestored() throws Exception {
        Path file;
        try (Stream<Path> files = Files.walk(work.resolve("records"))) {
            file = files.filter(p -> p.getFileName().toString().equals("41.json")).findFirst().orElseThrow();
        }
        Files.writeString(file, Files.readString(file).replace("1.4.2", "1.4.3"));

        assertThat(run("rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#41")).isEqualTo(6);
        assertThat(err).contains(file.getFileName().toString());
        assertThat(Path.of(live())).doesNotExist();
    }

    @Test
    void malformedManifestIsAUsageErrorAndRecordsNothing() throws Exception {
        Path bad = Files.writeString(work.resolve("bad.yaml"), "kind: ConfigMap\nmetadata: {name: [oops\n");
        byte[] before = snapshot(work.resolve("records"));

        assertThat(record(43, bad.toString())).isEqualTo(2);
        assertThat(err).contains("bad.yaml");
        assertThat(snapshot(work.resolve("records"))).isEqualTo(before);
    }

    @Test
    void aBuildWhoseImageWasGarbageCollectedIsRefusedBeforeAnythingMovesNamingTheNearestRestorableBuild() throws Exception {
        String kept = "sha256:" + "a".repeat(64);
        String collected = "sha256:" + "b".repeat(64);
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer registry = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
        registry.createContext("/v2/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            boolean present = exchange.getRequestURI().getPath().equals("/v2/acme/shop/manifests/" + kept);
            if (present) {
                exchange.getResponseHeaders().add("Docker-Content-Digest", kept);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            }
            exchange.sendResponseHeaders(present ? 200 : 404, -1);
            exchange.close();
        });
        registry.start();
        try {
            String host = "127.0.0.1:" + registry.getAddress().getPort();
            Path digests = Files.writeString(work.resolve("digests.yaml"),
                    host + "/acme/shop:1.0: " + kept + "\n" + host + "/acme/shop:1.1: " + collected + "\n");
            for (int build : new int[] {51, 52}) {
                Path manifest = Files.writeString(work.resolve("app-" + build + ".yaml"), """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: shop, namespace: shop}
                        spec:
                          replicas: 1
                          selector: {matchLabels: {app: shop}}
                          template:
                            metadata: {labels: {app: shop}}
                            spec:
                              containers: [{name: shop, image: "%s/acme/shop:%s"}]
                        """.formatted(host, build == 51 ? "1.0" : "1.1"));
                assertThat(run("record", "--store", store(), "--target", "shop-registry", "--namespace", "shop",
                        "--digests", digests.toString(), "--build", "shop#" + build, "--build-url",
                        "https://ci.example.com/job/shop/" + build + "/", "--manifests", manifest.toString())).as(err).isZero();
            }

            assertThat(run("rollback", "--store", store(), "--live-dir", live(), "--to", "shop#52")).isEqualTo(6);
            assertThat(err).contains(host + "/acme/shop").contains("no longer exists")
                    .contains("nearest restorable build is shop#51").contains("nothing was changed");
            assertThat(Path.of(live())).as("nothing was written").isEmptyDirectory();
            assertThat(asked).contains("HEAD /v2/acme/shop/manifests/" + collected);

            assertThat(run("rollback", "--store", store(), "--live-dir", live(), "--to", "shop#51")).as(err).isZero();
            assertThat(err).contains("images: ");
            assertThat(Path.of(live())).isNotEmptyDirectory();
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void imageWithoutADigestIsAUsageErrorNamingIt() throws Exception {
        Path manifest = Files.writeString(work.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: shop}
                spec:
                  containers: [{name: c, image: "ghcr.io/acme/unknown:9"}]
                """);

        assertThat(record(44, manifest.toString())).isEqualTo(2);
        assertThat(err).contains("ghcr.io/acme/unknown:9");
    }

    @Test
    void missingRequiredOptionIsUsageWithHelp() {
        assertThat(run("rollback", "--store", store())).isEqualTo(2);
        assertThat(err).contains("--to").contains("Usage:");
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("Exit codes:").contains("4  the target is locked");
    }

    /** Every file's path and bytes below dir, to compare before and after. */
    private static byte[] snapshot(Path dir) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    all.write(file.toString().getBytes(StandardCharsets.UTF_8));
                    all.write(Files.readAllBytes(file));
                }
            }
        }
        return all.toByteArray();
    }
}
