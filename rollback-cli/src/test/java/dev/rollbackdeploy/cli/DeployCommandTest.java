package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.drill.DrillEnvironment;
import dev.rollbackdeploy.drill.SampleService;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedDrillEnvironment.class)
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
        return VmSpecText.write(dir.resolve("deploy.yaml"), 42, socket, prometheus, "interval: 1s, maxDuration: 60s",
                "steps: " + steps);
    }

    private Path blueGreenSpec(String socket, String prometheus, String window) throws Exception {
        return VmSpecText.write(dir.resolve("blue-green.yaml"), 43, socket, prometheus,
                "interval: 1s, maxErrorRate: 0.05, minRequests: 50", "strategy: blueGreen\nscaleDownDelay: " + window);
    }

    private static HAProxyTrafficRouter router(String socket) {
        return new HAProxyTrafficRouter(new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
                DrillEnvironment.CANARY_SERVERS), List.of(new RuntimeApiClient(socket, Duration.ofSeconds(2))));
    }

    private String store() {
        return dir.resolve("records").toString();
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
    void aPrometheusAnsweringGarbageRollsBackAndLeavesTrafficOnStable(DrillEnvironment env) throws Exception {
        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        garbage.createContext("/", exchange -> {
            byte[] body = "<html>upstream error</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.start();
        try {
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
            assertThat(run("audit", "--store", store())).as(err).isZero();
            assertThat(out).as("the gate's decision is audited before the abort")
                    .containsPattern("GATE_VERDICT +shop-vms .*gate decided ROLLBACK").containsPattern("ABORT +shop-vms");
        } finally {
            garbage.stop(0);
        }
    }

    @Test
    void aHealthyCanaryIsPromotedRecordedWithItsSplitAndRestorableFromTheRecordAlone(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();
        Path spec = spec(socket, env.prometheus().baseUrl(), "[10, 50, 100]");

        assertThat(deploy(spec)).as(err).isZero();

        assertThat(out).contains("shop#42: PROMOTED");
        assertThat(run("audit", "--store", store())).as(err).isZero();
        assertThat(out).as("each gate decision is audited").containsPattern("GATE_VERDICT +shop-vms .*gate decided PROMOTE");
        Path record;
        try (var files = Files.walk(dir.resolve("records"))) {
            record = files.filter(p -> p.getFileName().toString().equals("42.json")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(record)).contains("\"gateEvidence\"").contains("haproxy_server_http_responses_total")
                .contains("PROMOTED").contains("HAProxyBackend");

        // Someone moves traffic by hand; the record alone knows where the target is and what was live.
        router(socket).setCanaryWeight(Weight.of(25));
        assertThat(run("diff", "--store", store(), "shop#42")).as(err).isZero();
        assertThat(out).contains("HAProxyBackend.rollback-deploy.io/app").contains("spec.canary.canary1: 2 -> 1");
        assertThat(router(socket).canaryWeight()).as("diff changes nothing").isEqualTo(Weight.of(25));

        assertThat(run("--json", "rollback", "--store", store(), "--to", "shop#42")).as(err).isZero();
        assertThat(out).contains("\"writes\" : 1");
        assertThat(router(socket).canaryWeight()).isEqualTo(Weight.ALL);
        assertThat(run("--json", "rollback", "--store", store(), "--to", "shop#42")).as(err).isZero();
        assertThat(out).as("a second restore makes no writes").contains("\"writes\" : 0");
        assertThat(new dev.rollbackdeploy.lock.FileTargetLock(LockOption.locksDir(dir.resolve("records")))
                .holder("shop-vms")).as("no lock left").isEmpty();
    }

    @Test
    void aTargetLockedByAnotherRunIsExit4NamingTheHolderAndNothingChanges(DrillEnvironment env) throws Exception {
        try (var held = new dev.rollbackdeploy.lock.FileTargetLock(LockOption.locksDir(dir.resolve("records")))
                .acquire("shop-vms", "shop#41", Duration.ZERO)) {
            String socket = env.haproxy().adminSocket().toString();

            assertThat(deploy(spec(socket, env.prometheus().baseUrl(), "[10, 100]"))).isEqualTo(4);

            assertThat(err).contains("target shop-vms is locked by shop#41 since").contains("pid ");
            assertThat(router(socket).canaryWeight()).isEqualTo(Weight.NONE);
            assertThat(dir.resolve("records")).doesNotExist();
        }
    }

    @Test
    void aHealthyBlueGreenSwitchesOnceAndKeepsTheOldServersWarmThroughTheWindow(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();

        assertThat(deploy(blueGreenSpec(socket, env.prometheus().baseUrl(), "10s"))).as(err).isZero();

        assertThat(out).contains("shop#43: PROMOTED");
        assertThat(err).contains("switch to the new version (canary share 100%) confirmed")
                .contains("gate after-switch: PROMOTE").contains("warm window over")
                .doesNotContain("switch back");
        assertThat(router(socket).canaryWeight()).isEqualTo(Weight.ALL);
        // Warm: after the window the old servers still answer (VM targets are never scaled down), at weight 0.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (var stable : env.stableInstances()) {
            var answer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + stable.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(answer.headers().firstValue(dev.rollbackdeploy.drill.SampleService.SERVED_BY))
                    .as("old server on port %d answers as itself", stable.port()).contains(stable.version());
        }
        assertThat(run("history", "--store", store(), "--target", "shop-vms")).isZero();
        assertThat(out).contains("shop#43").contains("BLUE_GREEN").contains("PROMOTED");
    }

    @Test
    void aFaultyBlueGreenIsSwitchedBackInsideTheWarmWindow(DrillEnvironment env) throws Exception {
        env.candidate().inject(new SampleService.Fault(0.5, Duration.ZERO));
        String socket = env.haproxy().adminSocket().toString();

        assertThat(deploy(blueGreenSpec(socket, env.prometheus().baseUrl(), "30s"))).as(err).isEqualTo(3);

        assertThat(err).contains("gate after-switch: ROLLBACK").contains("switch back to the previous version (canary share 0%) confirmed");
        assertThat(out).contains("shop#43: ROLLED_BACK");
        assertThat(router(socket).canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(run("history", "--store", store(), "--target", "shop-vms")).isZero();
        assertThat(out).contains("shop#43").contains("ABORTED").contains("BLUE_GREEN");
        try (var files = Files.walk(dir.resolve("records"))) {
            Path record = files.filter(p -> p.getFileName().toString().equals("43.json")).findFirst().orElseThrow();
            assertThat(Files.readString(record)).contains("switched back to the version live before")
                    .contains("new-version-error-rate");
        }
    }

    private void recordGoodBaseline(String socket) throws Exception {
        dev.rollbackdeploy.haproxy.HAProxyCluster live = new dev.rollbackdeploy.haproxy.HAProxyCluster(router(socket));
        new dev.rollbackdeploy.record.FileRecordStore(dir.resolve("records")).save(dev.rollbackdeploy.vm.VmRecords.baseline(
                dev.rollbackdeploy.record.BuildRef.parse("shop#41"), java.net.URI.create("https://ci.example.com/job/shop/41/"),
                "test", new dev.rollbackdeploy.record.Target.HAProxy("shop-vms",
                        List.of(dev.rollbackdeploy.vm.VmRecords.endpoint(socket)), "app", "local-sockets"),
                new dev.rollbackdeploy.record.StrategySpec(dev.rollbackdeploy.record.StrategyKind.CANARY, java.util.Map.of()),
                live.observe().objects(), java.time.Instant.now()));
    }

    private int drill(Path spec) {
        return run("drill", "--spec", spec.toString(), "--store", store(), "--report", dir.resolve("drill.html").toString(),
                "--verdict-slo", "PT60S");
    }

    @Test
    void aStagingDrillCatchesTheFaultyCandidateAndLeavesThePreviousSplitAndNoLock(DrillEnvironment env) throws Exception {
        env.stableInstances().forEach(s -> s.inject(new SampleService.Fault(0.01, Duration.ZERO)));
        env.candidate().inject(new SampleService.Fault(0.3, Duration.ZERO));
        String socket = env.haproxy().adminSocket().toString();
        recordGoodBaseline(socket);

        assertThat(drill(spec(socket, env.prometheus().baseUrl(), "[10, 50, 100]"))).as(err).isZero();

        assertThat(out).contains("Drill of shop-vms PASSED").contains("faulty candidate").contains("ABORTED")
                .contains("equals the record of shop#41").contains("yes");
        assertThat(out).containsPattern("lock left on the target +none");
        assertThat(router(socket).canaryWeight()).isEqualTo(Weight.NONE);
        assertThat(Files.readString(dir.resolve("drill.html"))).contains("<svg").contains("PASSED");
        assertThat(run("history", "--store", store(), "--target", "shop-vms")).isZero();
        assertThat(out).contains("shop#42").contains("ABORTED");
    }

    @Test
    void aStagingDrillWhoseCandidateIsNotCaughtFailsAndPutsThePreviousSplitBack(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();
        recordGoodBaseline(socket);

        assertThat(drill(spec(socket, env.prometheus().baseUrl(), "[50, 100]"))).as(err).isEqualTo(7);

        assertThat(out).contains("Drill of shop-vms FAILED").contains("the faulty candidate was not rolled back")
                .contains("the drill restored it");
        assertThat(router(socket).canaryWeight()).as("staging is back on the previous split").isEqualTo(Weight.NONE);
    }

    @Test
    void aStagingDrillWithoutAPromotedRecordSaysWhatToDoFirst(DrillEnvironment env) throws Exception {
        String socket = env.haproxy().adminSocket().toString();

        assertThat(drill(spec(socket, env.prometheus().baseUrl(), "[50, 100]"))).isEqualTo(2);

        assertThat(err).contains("target shop-vms has no promoted build with a recorded traffic split")
                .contains("deploy a good build to it once");
        assertThat(router(socket).canaryWeight()).isEqualTo(Weight.NONE);
    }

    @Test
    void strategyMistakesNameTheField() throws Exception {
        Path spec = blueGreenSpec("/tmp/x.sock", "http://127.0.0.1:9/", "30s");
        Files.writeString(spec, Files.readString(spec).replace("blueGreen", "rainbow"));
        assertThat(deploy(spec)).isEqualTo(2);
        assertThat(err).contains("strategy must be canary or blueGreen, got 'rainbow'");

        Files.writeString(spec, Files.readString(spec).replace("rainbow", "blueGreen") + "steps: [10, 100]\n");
        assertThat(deploy(spec)).isEqualTo(2);
        assertThat(err).contains("steps belongs to a canary");

        Files.writeString(spec, Files.readString(blueGreenSpec("/tmp/x.sock", "http://127.0.0.1:9/", "soon")));
        assertThat(deploy(spec)).isEqualTo(2);
        assertThat(err).contains("scaleDownDelay must be a duration like 30s, 2m or 1h30m, got 'soon'");

        Files.writeString(spec, Files.readString(blueGreenSpec("/tmp/x.sock", "http://127.0.0.1:9/", "30s"))
                .replace("maxErrorRate: 0.05", "maxErrorRate: 5"));
        assertThat(deploy(spec)).isEqualTo(2);
        assertThat(err).contains("gate.maxErrorRate must be strictly between 0 and 1, got '5'");
    }
}
