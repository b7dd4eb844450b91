package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.adapters.WebhookFlagStore;
import dev.rollbackdeploy.local.LocalFlagWebhook;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.traffic.Weight;
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
 * A restore whose flag store answers at the door but is down when the flags should go off (a webhook flag
 * service on loopback, {@link LocalFlagWebhook}, answering 503 from the moment the restore plans), against a real HAProxy: traffic must still go back, so the
 * restore writes in either mode and says why.
 */
class RestoreFlagStoreDownTest {

    private static LocalHAProxy haproxy;

    @TempDir
    Path dir;

    private RestoreFixture target;
    private LocalFlagWebhook flags;
    private final List<String> switches = Collections.synchronizedList(new ArrayList<>());

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
    void shop42LiveAndAFlagServiceThatGoesDownAfterTheDoor() throws Exception {
        target = new RestoreFixture(dir, haproxy).shop42LiveAfterShop41();
        flags = new LocalFlagWebhook(switches);
        flags.set("new-checkout", true);
        target.atPlanning(() -> flags.down(true)); // read at the door, gone by the time the flags should go off
    }

    @AfterEach
    void stopFlags() {
        flags.close();
    }

    @Test
    void insteadOfTrafficFallsBackToThePlansWritesAndSaysSo() throws Exception {
        RestoreResult result = Restore.run(target.context(), target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC)));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(result.writes()).isEqualTo(1);
        assertThat(target.canary()).isEqualTo(Weight.NONE);
        assertThat(switches).isEmpty();
        assertThat(flags.enabled("new-checkout")).isTrue();
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
        return Optional.of(FlagSwitch.of(new WebhookFlagStore(flags.url(), null, Duration.ofSeconds(2)),
                new KillSwitchSpec(List.of("new-checkout"), mode)));
    }
}
