package dev.rollbackdeploy.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-house flag service on loopback speaking the webhook flag store's protocol (docs/safety.md):
 * {@code GET /flags/<flag>} answers {@code {"enabled": …}} or 404, {@code PUT} sets it. Keeps every write.
 */
final class FlagService implements AutoCloseable {

    final Map<String, Boolean> flags = new ConcurrentHashMap<>();
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    FlagService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/flags/", exchange -> {
            String flag = exchange.getRequestURI().getPath().substring("/flags/".length());
            Boolean enabled = flags.get(flag);
            if (enabled != null && exchange.getRequestMethod().equals("PUT")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                enabled = body.replace(" ", "").contains("\"enabled\":true");
                flags.put(flag, enabled);
                writes.add(flag + "=" + enabled);
            }
            byte[] answer = enabled == null ? new byte[0] : ("{\"enabled\":" + enabled + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(enabled == null ? 404 : 200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/flags";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
