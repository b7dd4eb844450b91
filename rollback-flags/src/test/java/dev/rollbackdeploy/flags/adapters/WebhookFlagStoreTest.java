package dev.rollbackdeploy.flags.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.KillSwitch;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook contract against a small HTTP service on loopback that keeps flags in a map. */
class WebhookFlagStoreTest {

    private final Map<String, Boolean> flags = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int forcedStatus;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/flags/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void turnsFlagsOffThroughTheContract() throws Exception {
        flags.put("new-checkout", true);

        List<FlagChange> changes = new KillSwitch(store()).turnOff(spec("new-checkout"));

        assertThat(changes).containsExactly(new FlagChange("new-checkout", true, false));
        assertThat(flags).containsEntry("new-checkout", false);
        assertThat(requests).contains("PUT /flags/new-checkout {\"enabled\":false} Bearer s3cret");
    }

    @Test
    void anUnknownFlagChangesNothing() {
        flags.put("new-checkout", true);

        assertThatThrownBy(() -> new KillSwitch(store()).turnOff(spec("new-checkout", "typo")))
                .isInstanceOf(NoSuchFlagException.class).hasMessageContaining("'typo' does not exist in flag webhook");

        assertThat(flags).containsEntry("new-checkout", true);
        assertThat(requests).noneMatch(r -> r.startsWith("PUT"));
    }

    @Test
    void aServerErrorIsAnErrorWithoutTheToken() {
        flags.put("new-checkout", true);
        forcedStatus = 503;

        assertThatThrownBy(() -> store().isEnabled("new-checkout")).isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 503").hasMessageNotContaining("s3cret");
    }

    private WebhookFlagStore store() {
        return new WebhookFlagStore("http://127.0.0.1:" + server.getAddress().getPort() + "/flags/", "s3cret",
                Duration.ofSeconds(5));
    }

    private static KillSwitchSpec spec(String... names) {
        return new KillSwitchSpec(List.of(names), KillSwitchSpec.Mode.BEFORE_TRAFFIC);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String flag = exchange.getRequestURI().getPath().substring("/flags/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (body.isEmpty() ? "" : " " + body)
                + " " + auth);
        int status;
        String answer = "";
        if (forcedStatus != 0) {
            status = forcedStatus;
            answer = "{\"error\":\"maintenance\"}";
        } else if (!"Bearer s3cret".equals(auth)) {
            status = 401;
        } else if (!flags.containsKey(flag)) {
            status = 404;
        } else if (exchange.getRequestMethod().equals("PUT")) {
            flags.put(flag, body.contains("true"));
            status = 204;
        } else {
            status = 200;
            answer = "{\"enabled\":" + flags.get(flag) + "}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
