package dev.rollbackdeploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LocalHAProxyTest {

    @Test
    void balancesOverTheServersAndExportsPrometheusMetrics() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = "stable".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        try (LocalHAProxy haproxy = LocalHAProxy.start(java.util.List.of(
                new LocalHAProxy.Server("stable1", backend.getAddress().getPort(), 100)))) {
            HttpClient client = HttpClient.newHttpClient();

            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + haproxy.frontendPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + haproxy.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.body()).as(haproxy.logTail()).isEqualTo("stable");
            assertThat(metrics.body()).contains("haproxy_server_http_responses_total{proxy=\"app\",server=\"stable1\",code=\"2xx\"}");
            assertThat(Files.exists(haproxy.adminSocket())).isTrue();
        } finally {
            backend.stop(0);
        }
    }
}
