package dev.rollbackdeploy.flags.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEvent;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.FlagJson;
import dev.rollbackdeploy.flags.KillSwitch;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.local.LocalUnleash;
import dev.rollbackdeploy.local.UnleashAdmin;
import dev.rollbackdeploy.record.BuildRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill switch against a real Unleash (on a real PostgreSQL), through its Admin API. */
class UnleashFlagStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static LocalPostgres postgres;
    private static LocalUnleash unleash;
    private static UnleashAdmin flags;

    @TempDir
    Path dir;

    @BeforeAll
    static void startUnleash() throws Exception {
        postgres = LocalPostgres.start();
        unleash = LocalUnleash.start(postgres, "unleash");
        flags = new UnleashAdmin(unleash);
    }

    @AfterAll
    static void stop() {
        if (unleash != null) {
            unleash.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void abortTurnsTheFlagOffAndTheRecordShowsIt() throws Exception {
        String checkout = flags.createOn();
        String search = flags.createOn();
        UnleashFlagStore store = store("production");
        KillSwitch killSwitch = new KillSwitch(store);

        List<FlagChange> changes = killSwitch.turnOff(new KillSwitchSpec(List.of(checkout, search),
                KillSwitchSpec.Mode.BEFORE_TRAFFIC));
        // What the front door does on abort: the changes go into the record and the audit log.
        AuditLog audit = new AuditLog(dir.resolve("audit/audit.jsonl"));
        audit.append(new AuditEvent(Instant.parse("2026-12-04T12:00:00Z"), "shop#42", AuditAction.ABORT, "shop-vms",
                new BuildRef("shop", 42), new BuildRef("shop", 41), "gate failed: 5xx 4.1% vs 0.2%",
                killSwitch.summary(changes), null));

        assertThat(changes).containsExactly(new FlagChange(checkout, true, false), new FlagChange(search, true, false));
        assertThat(flags.enabledIn(checkout, "production")).as("read back from Unleash").isFalse();
        assertThat(flags.enabledIn(search, "production")).isFalse();
        assertThat(FlagJson.changes(store.describe(), changes).toString()).contains(
                "{\"flag\":\"" + checkout + "\",\"before\":true,\"enabled\":false}", "environment production");
        assertThat(audit.read().get(0).event().evidence()).contains(checkout + " on -> off");
        assertThat(killSwitch.turnOff(new KillSwitchSpec(List.of(checkout), KillSwitchSpec.Mode.BEFORE_TRAFFIC)))
                .as("again: nothing to change").containsExactly(new FlagChange(checkout, false, false));
    }

    @Test
    void aFlagThatDoesNotExistIsAClearErrorAndChangesNothing() throws Exception {
        String checkout = flags.createOn();

        assertThatThrownBy(() -> new KillSwitch(store("production")).turnOff(new KillSwitchSpec(
                List.of(checkout, "no-such-flag"), KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC)))
                .isInstanceOf(NoSuchFlagException.class)
                .hasMessageContaining("flag 'no-such-flag' does not exist in unleash http://127.0.0.1:")
                .hasMessageContaining("project default, environment production");

        assertThat(flags.enabledIn(checkout, "production")).isTrue();
    }

    @Test
    void aWrongTokenOrEnvironmentIsAClearErrorWithoutTheToken() throws Exception {
        String checkout = flags.createOn();
        UnleashFlagStore wrongToken = new UnleashFlagStore(unleash.baseUrl(), "*:*.wrong-secret", "default", "production",
                TIMEOUT);

        assertThatThrownBy(() -> wrongToken.isEnabled(checkout)).isInstanceOf(IOException.class)
                .hasMessageContaining("refused the API token (HTTP 401)").hasMessageNotContaining("wrong-secret");
        assertThatThrownBy(() -> store("staging").isEnabled(checkout)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no environment 'staging'");
        assertThat(flags.enabledIn(checkout, "production")).isTrue();
    }

    private UnleashFlagStore store(String environment) {
        return new UnleashFlagStore(unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", environment, TIMEOUT);
    }

}
