package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.adapters.WebhookFlagStore;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore whose flag store answers reads but refuses to turn flags off (a webhook flag service on
 * loopback answering 503 to every PUT), against a real HAProxy: traffic must still go back, so the
 * restore writes in either mode and says why.
 */
class RestoreFlagStoreDownTest {

    private static LocalHAProxy haproxy;

    @TempDir
    Path dir;

    private RestoreFixture target;
    private HttpServer flags;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("stable1", 1, 100),
                new LocalHAProxy.Server("canary1", 2, 0)));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @BeforeEach
    void shop42LiveAndAFlagServiceThatCannotWrite() throws Exception {
        target = new RestoreFixture(dir, haproxy).shop42LiveAfterShop41();
        flags = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        flags.createContext("/flags/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = (exchange.getRequestMethod().equals("GET") ? "{\"enabled\":true}" : "read-only replica")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flags.start();
    }

    @AfterEach
    void stopFlags() {
        flags.stop(0);
    }

    @Test
    void insteadOfTrafficFallsBackToThePlansWritesAndSaysSo() throws Exception {
        RestoreResult result = Restore.run(target.context(), target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC)));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(result.writes()).isEqualTo(1);
        assertThat(target.canary()).isEqualTo(Weight.NONE);
        assertThat(requests).contains("PUT /flags/new-checkout");
        assertThat(target.log).anyMatch(l -> l.startsWith("WARNING: the kill switch could not turn the flags off")
                && l.contains("HTTP 503") && l.contains("falling back to the plan's writes"));
        assertThat(result.summary()).contains("could not turn the flags off");
        assertThat(result.flags()).isEmpty();
        assertThat(target.audit().get(target.audit().size() - 1).event()).satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.ROLLBACK);
            assertThat(e.evidence()).contains("1 writes", "could not turn the flags off");
        });
    }

    @Test
    void beforeTrafficWarnsAndStillPutsTrafficBack() throws Exception {
        RestoreResult result = Restore.run(target.context(), target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(KillSwitchSpec.Mode.BEFORE_TRAFFIC)));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(target.canary()).isEqualTo(Weight.NONE);
        assertThat(target.log).anyMatch(l -> l.startsWith("WARNING:") && l.contains("restoring anyway"));
    }

    private Optional<FlagSwitch> killSwitch(KillSwitchSpec.Mode mode) {
        return Optional.of(FlagSwitch.of(new WebhookFlagStore("http://127.0.0.1:" + flags.getAddress().getPort() + "/flags",
                null, Duration.ofSeconds(2)), new KillSwitchSpec(List.of("new-checkout"), mode)));
    }
}
