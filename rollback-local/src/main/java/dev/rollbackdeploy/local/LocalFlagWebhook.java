package dev.rollbackdeploy.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny in-house flag service as {@code WebhookFlagStore} expects it, on a free loopback port:
 * {@code GET /flags/<flag>} answers {@code {"enabled": …}} or 404, {@code PUT} sets it. Every switch is
 * added to a shared event list, so a test can put it in order with another server's requests; {@link #down}
 * makes every request answer 503, as a flag service that is down. For the front door's kill-switch
 * tests and the CLI's process tests.
 */
public final class LocalFlagWebhook implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Boolean> flags = new ConcurrentHashMap<>();
    private final List<String> events;
    private volatile boolean down;

    /** @param events where each switch is added ({@code flag new-checkout off}), e.g. a list shared with another server's log */
    public LocalFlagWebhook(List<String> events) throws IOException {
        this.events = events;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/flags/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/flags";
    }

    public void set(String flag, boolean enabled) {
        flags.put(flag, enabled);
    }

    public boolean enabled(String flag) {
        return flags.get(flag);
    }

    public void down(boolean value) {
        down = value;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String flag = exchange.getRequestURI().getPath().substring("/flags/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (down) {
            answer(exchange, 503, "{\"error\":\"flag service down\"}");
        } else if (!flags.containsKey(flag)) {
            answer(exchange, 404, "{}");
        } else if (exchange.getRequestMethod().equals("PUT")) {
            boolean on = body.replace(" ", "").contains("\"enabled\":true");
            flags.put(flag, on);
            events.add("flag " + flag + " " + (on ? "on" : "off"));
            answer(exchange, 204, null);
        } else {
            answer(exchange, 200, "{\"enabled\":" + flags.get(flag) + "}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json == null ? -1 : bytes.length);
        if (json != null) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
