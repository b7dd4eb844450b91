package dev.rollbackdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 5: `rollback gate` tells a broken metrics server from a bad canary, and runs the spec's own gate.
 * The tests run side by side, and beside the other classes: a broken metrics server is only given up
 * after five looks a second apart (~10 s each, all of it waiting, next to no CPU), and each test has its
 * own directory and server.
 */
@Execution(ExecutionMode.CONCURRENT)
class GateCommandTest {

    @TempDir
    Path dir;

    private Path spec(String prometheus, String strategy) throws Exception {
        return VmSpecText.write(dir.resolve("spec.yaml"), 43, "/tmp/none.sock", prometheus,
                "interval: 1s, maxDuration: 30s, maxErrorRate: 0.05, minRequests: 50", strategy);
    }

    private static HttpServer serve(int status, String contentType, String body, List<String> queries) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            // The query travels in the URL or, POSTed, in the form body.
            String raw = exchange.getRequestURI().getRawQuery();
            String body2 = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String form = (raw == null ? "" : raw) + "&" + body2;
            if (form.contains("query=")) {
                queries.add(URLDecoder.decode(form, StandardCharsets.UTF_8));
            }
            byte[] bytes = body.replace("NOW", Long.toString(System.currentTimeMillis() / 1000))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void anUnreachablePrometheusExitsFiveWithTheReasonNotThree() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = CliRun.of(Clock.systemUTC(), "gate", "--store", dir.resolve("records").toString(), "--spec",
                spec("http://127.0.0.1:" + closedPort + "/", "steps: [10, 100]").toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(5);
        assertThat(run.err()).contains("could not be used").contains("127.0.0.1:" + closedPort);
        assertThat(AuditLog.besideStore(dir.resolve("records")).read()).singleElement()
                .satisfies(entry -> assertThat(entry.event().reason()).contains("gate decided ROLLBACK")
                        .contains("the metrics server could not be used"));
    }

    @Test
    void aPrometheusAnsweringAnHtmlErrorPageExitsFive() throws Exception {
        HttpServer broken = serve(500, "text/html", "<html><body>Internal Server Error</body></html>", new CopyOnWriteArrayList<>());
        try {
            CliRun run = CliRun.of(Clock.systemUTC(), "gate", "--store", dir.resolve("records").toString(), "--spec", spec("http://127.0.0.1:"
                    + broken.getAddress().getPort() + "/", "steps: [10, 100]").toString());

            assertThat(run.exit()).as(run.err()).isEqualTo(5);
            assertThat(run.err()).contains("could not be used");
        } finally {
            broken.stop(0);
        }
    }

    @Test
    void aBlueGreenSpecRunsItsOwnAfterSwitchGate() throws Exception {
        List<String> queries = new CopyOnWriteArrayList<>();
        HttpServer healthy = serve(200, "application/json", """
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[NOW,"0"]}]}}""", queries);
        try {
            CliRun run = CliRun.of(Clock.systemUTC(), "gate", "--store", dir.resolve("records").toString(), "--spec", spec("http://127.0.0.1:"
                    + healthy.getAddress().getPort() + "/", "strategy: blueGreen\nscaleDownDelay: 30s").toString());

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(AuditLog.besideStore(dir.resolve("records")).read()).singleElement().satisfies(entry -> {
                assertThat(entry.event().action()).isEqualTo(AuditAction.GATE_VERDICT);
                assertThat(entry.event().reason()).startsWith("rollback gate --spec ").contains("gate decided PROMOTE");
            });
            assertThat(queries).isNotEmpty().allSatisfy(q -> assertThat(q).contains(">= 50").doesNotContain("stable1"));
        } finally {
            healthy.stop(0);
        }
    }
}
