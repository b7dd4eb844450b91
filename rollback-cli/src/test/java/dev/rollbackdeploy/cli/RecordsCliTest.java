package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record, history and diff on stores and manifests a first day of real use met (issue 9, items 8, 11, 13). */
class RecordsCliTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "shop");
    private static final String APP = "ghcr.io/acme/shop:1.4.2";
    private static final String APP_DIGEST = "sha256:4b2b0bd5a4b8f8a4f3f0f3c1c6d5b8a1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7";

    @TempDir
    Path work;

    private CliRun run(String... args) {
        return CliRun.of(Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC), args);
    }

    private CliRun record(Path store, int build, String... extra) {
        String[] base = {"record", "--store", store.toString(), "--target", "shop-local", "--namespace", "shop",
            "--build", "shop#" + build, "--build-url", "https://ci.example.com/job/shop/" + build + "/"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    private CliRun recordExample(Path store, int build) {
        return record(store, build, "--digests", EXAMPLE.resolve("digests.yaml").toString(), "--manifests",
                EXAMPLE.resolve("build-" + build + "/app.yaml") + "," + EXAMPLE.resolve("build-" + build + "/service.json"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text);
    }

    @Test
    void aRecordedReleaseIsAuditedAndVerificationNamesItOnceTheLogIsDeleted() throws IOException {
        Path store = work.resolve(".rollback/records");
        CliRun recorded = record(store, 41, "--actor", "carol", "--digests", EXAMPLE.resolve("digests.yaml").toString(),
                "--manifests", EXAMPLE.resolve("build-41/app.yaml") + "," + EXAMPLE.resolve("build-41/service.json"));
        assertThat(recorded.exit()).as(recorded.err()).isZero();

        CliRun verified = run("audit", "--verify", "--store", store.toString());
        CliRun shown = run("audit", "--store", store.toString());

        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("1 entries, intact");
        assertThat(shown.out()).contains("DEPLOY", "shop-local", "-> shop#41", "recorded by rollback record",
                "deployed by carol");

        Path log = work.resolve(".rollback/audit/audit.jsonl");
        Files.delete(log);
        Files.delete(log.resolveSibling("audit.jsonl.head"));
        CliRun afterDeletion = run("audit", "--verify", "--store", store.toString());

        assertThat(afterDeletion.exit()).as(afterDeletion.out() + afterDeletion.err()).isEqualTo(6);
        assertThat(afterDeletion.out()).contains("RECORD_NOT_AUDITED", "the record of shop#41 (target shop-local) is in "
                + "the store but no audit entry names it");
        assertThat(afterDeletion.err()).contains("audit log verification failed");
    }

    @Test
    void historyOfAStoreThatIsNotADirectoryFailsSayingSoInsteadOfListingNothing() throws IOException {
        Path notAStore = write("records", "a file, not a directory");

        CliRun history = run("history", "--store", notAStore.toString(), "--target", "shop-local");
        CliRun diff = run("diff", "--store", notAStore.toString(), "--live-dir", work.resolve("live").toString(), "shop#41");

        assertThat(history.exit()).as(history.err()).isEqualTo(5);
        assertThat(history.err()).contains("record store " + notAStore).contains("not a directory");
        assertThat(history.out()).doesNotContain("no records");
        assertThat(diff.exit()).as(diff.err()).isEqualTo(5);
        assertThat(diff.err()).contains("cannot read the record of shop#41").contains("not a directory");
    }

    @Test
    void aStoreTheUserMayNotReadSaysPermissionDeniedInsteadOfNoRecords() throws Exception {
        Path store = work.resolve("records");
        assertThat(recordExample(store, 41).exit()).isZero();
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("---------"));
        try {
            CliRun history = WithoutFileOverride.run(this::run, "history", "--store", store.toString(),
                    "--target", "shop-local");
            CliRun diff = WithoutFileOverride.run(this::run, "diff", "--store", store.toString(), "--live-dir",
                    work.resolve("live").toString(), "shop#41");

            assertThat(history.exit()).as(history.err()).isEqualTo(5);
            assertThat(history.err()).contains("record store " + store).contains("permission denied");
            assertThat(history.out()).doesNotContain("no records");
            assertThat(diff.exit()).as(diff.err()).isEqualTo(5);
            assertThat(diff.err()).contains("cannot read the record of shop#41").contains("permission denied");
        } finally {
            Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void historyListsEveryIntactBuildAndFlagsTheCorruptRecordWithItsFileAndWhy() throws IOException {
        Path store = work.resolve("records");
        assertThat(recordExample(store, 41).exit()).isZero();
        assertThat(recordExample(store, 42).exit()).isZero();
        Path damaged = store.resolve("shop-local/shop/41.json");
        Files.writeString(damaged, Files.readString(damaged).replace("\"replicas\":", "\"replicas\":1"));

        CliRun history = run("history", "--store", store.toString(), "--target", "shop-local");

        assertThat(history.exit()).as(history.err()).isEqualTo(6);
        assertThat(history.out()).contains("shop#42").contains("UNREADABLE " + damaged.toAbsolutePath())
                .contains("corrupt deployment record").containsPattern("hash|selfHash");
        assertThat(history.out().lines().filter(l -> l.startsWith("shop#41"))).isEmpty();
    }

    @Test
    void aReleaseWithoutImagesIsRecordedWithoutADigestsFileOrWithAnEmptyOne() throws IOException {
        Path config = write("config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags, namespace: shop}\n"
                + "data: {mode: safe}\n");
        Path empty = write("digests.yaml", "");

        CliRun without = record(work.resolve("a"), 1, "--manifests", config.toString());
        CliRun withEmpty = record(work.resolve("b"), 1, "--manifests", config.toString(), "--digests", empty.toString());

        assertThat(without.exit()).as(without.err()).isZero();
        assertThat(withEmpty.exit()).as(withEmpty.err()).isZero();
        assertThat(withEmpty.out()).contains("Recorded shop#1");
    }

    @Test
    void anImageWithoutADigestIsNamedWithTheLineTheDigestsFileNeeds() throws IOException {
        Path app = write("app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
                + "spec: {template: {spec: {containers: [{name: app, image: \"" + APP + "\"}]}}}\n");
        Path list = write("digests.yaml", "- " + APP + "\n");

        CliRun missing = record(work.resolve("a"), 1, "--manifests", app.toString());
        CliRun notAMap = record(work.resolve("b"), 1, "--manifests", app.toString(), "--digests", list.toString());

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no --digests file was given").contains("Deployment.apps/shop/web[app]: " + APP)
                .contains(APP + ": sha256:<64 hex digits>").doesNotContain("MISSING");
        assertThat(notAMap.exit()).isEqualTo(2);
        assertThat(notAMap.err()).contains("must map each image to its digest").contains("it holds a list");
    }

    @Test
    void recordPinsImagesOfJobTemplatesInsideCustomResources() throws IOException {
        Path analysis = write("analysis.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: smoke, namespace: shop}
                spec:
                  metrics:
                  - name: smoke
                    provider:
                      job:
                        spec:
                          template:
                            spec:
                              restartPolicy: Never
                              containers: [{name: check, image: "%s"}]
                """.formatted(APP));
        Path store = work.resolve("records");

        CliRun recorded = record(store, 7, "--manifests", analysis.toString(), "--digests",
                EXAMPLE.resolve("digests.yaml").toString());

        assertThat(recorded.exit()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains("AnalysisTemplate.argoproj.io/shop/smoke "
                + "spec.metrics[0].provider.job.spec.template.spec[check]: " + APP + " -> " + APP_DIGEST);
        assertThat(Files.readString(store.resolve("shop-local/shop/7.json")))
                .contains("\"image\":\"" + APP + "@" + APP_DIGEST + "\"");
    }

    @Test
    void recordNamesEachImageItLeavesUnpinnedOutsidePodTemplates() throws IOException {
        Path workflow = write("workflow.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: WorkflowTemplate
                metadata: {name: smoke, namespace: shop}
                spec:
                  templates:
                  - name: check
                    container: {image: "alpine:3.20", command: [sh, -c, "true"]}
                """);

        CliRun recorded = record(work.resolve("records"), 8, "--manifests", workflow.toString());

        assertThat(recorded.exit()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains("Left unpinned")
                .contains("WorkflowTemplate.argoproj.io/shop/smoke spec.templates[0].container.image = alpine:3.20");
        assertThat(recorded.err()).contains("recorded by tag");
    }
}
