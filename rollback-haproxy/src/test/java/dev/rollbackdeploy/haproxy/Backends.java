package dev.rollbackdeploy.haproxy;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.local.LocalHAProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tiny HTTP servers that answer their own name, and a way to count who answered through HAProxy. */
final class Backends implements AutoCloseable {

    final List<HttpServer> servers = new ArrayList<>();

    LocalHAProxy.Server start(String name, int weight) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return new LocalHAProxy.Server(name, server.getAddress().getPort(), weight);
    }

    /**
     * Sends n requests over one keep-alive client and counts answers by server name, after 30
     * uncounted ones: HAProxy's weighted round robin re-positions servers gradually after a change.
     */
    static Map<String, Integer> count(LocalHAProxy haproxy, int n) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.frontendPort() + "/")).build();
        for (int i = 0; i < 30; i++) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            seen.merge(client.send(request, HttpResponse.BodyHandlers.ofString()).body(), 1, Integer::sum);
        }
        return seen;
    }

    /** Four binomial standard deviations of n requests at share p%, at least 3 requests. */
    static double tolerance(int n, int percent) {
        double p = percent / 100.0;
        return Math.max(3, 4 * Math.sqrt(n * p * (1 - p)));
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
