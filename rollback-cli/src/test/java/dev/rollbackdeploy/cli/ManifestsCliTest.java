package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record, diff and rollback on real-world manifests (issue 9, items 9, 10, 12), against a directory target. */
class ManifestsCliTest {

    private static final String ISTIO_GATEWAY = "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
            + "metadata: {name: web, namespace: shop}\nspec: {selector: {istio: ingressgateway}}\n";
    private static final String GATEWAY_API = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            + "metadata: {name: web, namespace: shop}\nspec: {gatewayClassName: eg}\n";

    @TempDir
    Path work;

    private CliRun run(String... args) {
        return CliRun.of(Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC), args);
    }

    private CliRun record(int build, String manifest) throws IOException {
        Path file = Files.writeString(work.resolve("build-" + build + ".yaml"), manifest);
        // "{}": these releases have no images; the digests file is given so each test isolates its own item.
        Path digests = Files.writeString(work.resolve("digests.yaml"), "{}\n");
        return run("record", "--store", store(), "--target", "shop-local", "--namespace", "shop", "--build",
                "shop#" + build, "--build-url", "https://ci.example.com/job/shop/" + build + "/",
                "--manifests", file.toString(), "--digests", digests.toString());
    }

    private CliRun restore(int build, String... options) {
        String[] base = {"rollback", "--skip-digest-check", "--store", store(), "--live-dir", live(), "--to", "shop#" + build};
        return run(Stream.concat(Stream.of(base), Stream.of(options)).toArray(String[]::new));
    }

    private String store() {
        return work.resolve("records").toString();
    }

    private String live() {
        return work.resolve("live").toString();
    }

    @Test
    void recordsMetalLbsClusterRoleWithAColonInItsName() throws IOException {
        CliRun recorded = record(1, "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                + "metadata: {name: 'metallb-system:controller'}\nrules: []\n");

        assertThat(recorded.exit()).as(recorded.err()).isZero();
        assertThat(recorded.err()).doesNotContain("DNS subdomain");
    }

    @Test
    void twoGatewaysOfDifferentApiGroupsAreTwoObjectsAndAGroupChangeIsAReplacement() throws IOException {
        assertThat(record(1, ISTIO_GATEWAY).exit()).isZero();
        assertThat(record(2, GATEWAY_API).exit()).isZero();
        CliRun both = record(3, ISTIO_GATEWAY + "---\n" + GATEWAY_API);
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(restore(1).exit()).isZero();

        CliRun diff = run("diff", "--store", store(), "--live-dir", live(), "--prune", "shop#2");
        CliRun pruned = restore(2, "--prune");

        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("+ Gateway.gateway.networking.k8s.io/shop/web")
                .contains("- Gateway.networking.istio.io/shop/web")
                .contains("delete Gateway.networking.istio.io/shop/web");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        try (Stream<Path> files = Files.list(work.resolve("live"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactly("Gateway.gateway.networking.k8s.io_shop_web.json");
        }
        CliRun again = run("diff", "--store", store(), "--live-dir", live(), "shop#3");
        assertThat(again.out()).contains("+ Gateway.networking.istio.io/shop/web")
                .doesNotContain("Gateway.gateway.networking.k8s.io/shop/web");
    }

    @Test
    void diffShowsAChangePastTheStartOfALongValue() throws IOException {
        String script = "#!/bin/sh\\n" + "echo step\\n".repeat(40);
        String config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: jobs, namespace: shop}\ndata:\n  run.sh: \"%s\"\n";
        assertThat(record(1, config.formatted(script + "rm -rf /var/cache\\n")).exit()).isZero();
        assertThat(record(2, config.formatted(script + "rm -rf /tmp/cache\\n")).exit()).isZero();
        assertThat(restore(1).exit()).isZero();

        CliRun diff = run("diff", "--store", store(), "--live-dir", live(), "shop#2");

        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("rm -rf /var/cache").contains("rm -rf /tmp/cache")
                .contains("first difference at character");
    }
}
