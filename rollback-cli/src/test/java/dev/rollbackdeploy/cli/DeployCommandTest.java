package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        CliRun run = CliRun.of(Clock.systemUTC(), args);
        out = run.out();
        err = run.err();
        return run.exit();
    }

    private Path spec(String socket, String prometheus, String steps) throws Exception {
        return Files.writeString(dir.resolve("deploy.yaml"), """
                build: shop#42
                buildUrl: https://ci.example.com/job/shop/42/
                target:
                  key: shop-vms
                  haproxy:
                    sockets: [%s]
                    backend: app
                    stable: [stable1, stable2]
                    canary: [canary1]
                prometheus: %s
                gate: {interval: 1s, maxDuration: 60s}
                steps: %s
                """.formatted(socket, prometheus, steps));
    }

    private int deploy(Path spec) {
        return run("deploy", "--store", dir.resolve("records").toString(), "--spec", spec.toString());
    }

    @Test
    void aMissingSpecIsAUsageErrorNamingIt() {
        assertThat(deploy(dir.resolve("nope.yaml"))).isEqualTo(2);
        assertThat(err).contains("nope.yaml does not exist");
    }

    @Test
    void aMalformedSpecNamesTheFieldAndValue() throws Exception {
        assertThat(deploy(spec("/tmp/x.sock", "http://127.0.0.1:9/", "[10, 140]"))).isEqualTo(2);
        assertThat(err).contains("weight must be 0..100, got 140");

        Files.writeString(dir.resolve("deploy.yaml"), "build: shop#42\ncolour: blue\n");
        assertThat(deploy(dir.resolve("deploy.yaml"))).isEqualTo(2);
        assertThat(err).contains("colour is not a field of a deployment spec");
    }

    @Test
    void anUnreachableHAProxySocketChangesNothingAndSaysSo() throws Exception {
        String socket = dir.resolve("admin.sock").toString();

        assertThat(deploy(spec(socket, "http://127.0.0.1:9/", "[10, 100]"))).isEqualTo(5);
        assertThat(err).contains("cannot reach HAProxy").contains(socket).contains("nothing was changed");
        assertThat(dir.resolve("records")).doesNotExist();
    }

    @Test
    void aPrometheusAnsweringGarbageRollsBackAndLeavesTrafficOnStable() throws Exception {
        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        garbage.createContext("/", exchange -> {
            byte[] body = "<html>upstream error</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.start();
        try (DrillEnvironment env = DrillEnvironment.start("v1", "v2", 50, line -> { })) {
            String socket = env.haproxy().adminSocket().toString();
            Path spec = spec(socket, "http://127.0.0.1:" + garbage.getAddress().getPort() + "/", "[10, 50, 100]");

            assertThat(deploy(spec)).as(err).isEqualTo(3);

            HAProxyTrafficRouter router = new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND,
                    DrillEnvironment.STABLE_SERVERS, DrillEnvironment.CANARY_SERVERS),
                    List.of(new RuntimeApiClient(socket, Duration.ofSeconds(2))));
            assertThat(router.canaryWeight()).isEqualTo(Weight.NONE);
            assertThat(out).contains("ABORTED").contains("error");
            assertThat(run("history", "--store", dir.resolve("records").toString(), "--target", "shop-vms")).isZero();
            assertThat(out).contains("shop#42").contains("ABORTED");
        } finally {
            garbage.stop(0);
        }
    }

    @Test
    void aHealthyCanaryIsPromotedAndRecordedWithItsEvidence() throws Exception {
        try (DrillEnvironment env = DrillEnvironment.start("v1", "v2", 200, line -> { })) {
            Path spec = spec(env.haproxy().adminSocket().toString(), env.prometheus().baseUrl(), "[10, 50, 100]");

            assertThat(deploy(spec)).as(err).isZero();

            assertThat(out).contains("shop#42: PROMOTED");
            Path record;
            try (var files = Files.walk(dir.resolve("records"))) {
                record = files.filter(p -> p.getFileName().toString().equals("42.json")).findFirst().orElseThrow();
            }
            assertThat(Files.readString(record)).contains("\"gateEvidence\"").contains("haproxy_server_http_responses_total")
                    .contains("PROMOTED");
        }
    }
}
