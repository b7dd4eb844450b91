package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.RecordRef;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.adapters.UnleashFlagStore;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.local.LocalPostgres;
import dev.rollbackdeploy.local.LocalUnleash;
import dev.rollbackdeploy.local.UnleashAdmin;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore with the rolled-back release's kill switch, against a real Unleash 7.5.1 (on a real PostgreSQL)
 * and a real HAProxy: shop#42's flag goes off before the first HAProxy write (or instead of any write), a
 * flag that does not exist refuses the restore at the door, and the restore's own record holds the changes.
 */
class RestoreKillSwitchTest {

    private static LocalPostgres postgres;
    private static LocalUnleash unleash;
    private static LocalHAProxy haproxy;
    private static UnleashAdmin flags;

    @TempDir
    Path dir;

    private RestoreFixture target;

    @BeforeAll
    static void start() throws Exception {
        postgres = LocalPostgres.start();
        unleash = LocalUnleash.start(postgres, "unleash");
        flags = new UnleashAdmin(unleash);
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("stable1", 1, 100),
                new LocalHAProxy.Server("canary1", 2, 0)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {haproxy, unleash, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    @BeforeEach
    void shop42Live() throws Exception {
        target = new RestoreFixture(dir, haproxy).shop42LiveAfterShop41();
    }

    @Test
    void beforeTrafficTurnsTheFlagOffBeforeTheFirstHAProxyWriteAndRecordsTheRestore() throws Exception {
        String flag = flags.createOn();
        FlagAtWrites cluster = new FlagAtWrites(target.cluster(), flag);
        RestoreRequest request = target.request(RestoreFixture.SHOP_41).withKillSwitch(killSwitch(flag,
                KillSwitchSpec.Mode.BEFORE_TRAFFIC));
        request = RestoreRequest.of(request.record(), cluster, request.where(), request.why())
                .withKillSwitch(request.killSwitch()).withRecordAs(Optional.of(new BuildRef("shop", 45)));

        RestoreResult result = Restore.run(target.context(), request);

        assertThat(result.status()).isEqualTo(RestoreResult.Status.RESTORED);
        assertThat(cluster.flagAtEachWrite).as("the flag as Unleash read it at each HAProxy write").containsExactly(false);
        assertThat(result.writes()).isEqualTo(1);
        assertThat(target.canary()).isEqualTo(Weight.NONE);
        assertThat(flags.enabledInProduction(flag)).isFalse();
        assertThat(result.flags()).containsExactly(new FlagChange(flag, true, false));
        assertThat(result.recorded()).contains(new BuildRef("shop", 45));

        DeploymentRecord record = target.load(new BuildRef("shop", 45));
        DeploymentRecord shop41 = target.load(RestoreFixture.SHOP_41);
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ROLLED_BACK);
        assertThat(record.outcome().restoredFrom()).isEqualTo(RestoreFixture.SHOP_41);
        assertThat(record.outcome().reason()).contains("rollback --to shop#41 by tester", "restored shop#41: 1 writes");
        assertThat(record.manifests()).isEqualTo(shop41.manifests());
        assertThat(record.target()).isEqualTo(shop41.target());
        assertThat(record.build().actor()).isEqualTo("tester");
        assertThat(record.safety().flagsJson().orElseThrow().toString())
                .contains("{\"before\":true,\"enabled\":false,\"flag\":\"" + flag + "\"}");
        assertThat(record.safety().schemaJson()).as("the restored build's schema, for a later restore").isPresent();

        AuditEntry rollback = last(target.audit(), AuditAction.ROLLBACK);
        assertThat(rollback.event().from()).isEqualTo(RestoreFixture.SHOP_42);
        assertThat(rollback.event().evidence()).contains("1 writes", "kill switch: flags in unleash", flag + " on -> off");
        assertThat(rollback.event().record()).as("pins the restore's record")
                .isEqualTo(RecordRef.stored(target.context().records(), new BuildRef("shop", 45)));
        assertThat(target.auditIntact()).isTrue();
        assertThat(TargetStatus.newestPromoted(target.context().records(), RestoreFixture.TARGET).ref())
                .as("the restore's record holds what is live").isEqualTo(new BuildRef("shop", 45));

        int entries = target.audit().size();
        RestoreResult again = Restore.run(target.context(), target.request(new BuildRef("shop", 45))
                .withKillSwitch(killSwitch(flag, KillSwitchSpec.Mode.BEFORE_TRAFFIC)));
        assertThat(again.status()).as("the restore's record is restorable: it is what is live")
                .isEqualTo(RestoreResult.Status.ALREADY_LIVE);
        assertThat(again.writes()).isZero();
        assertThat(again.flags()).as("flags already off: unchanged").containsExactly(new FlagChange(flag, false, false));
        assertThat(target.audit()).as("nothing changed, nothing appended").hasSize(entries);
    }

    @Test
    void insteadOfTrafficTurnsTheFlagsOffAndLeavesHAProxyAsItIs() throws Exception {
        String flag = flags.createOn();
        String other = flags.createOn();
        FlagAtWrites cluster = new FlagAtWrites(target.cluster(), flag);
        RestoreRequest request = RestoreRequest.of(target.load(RestoreFixture.SHOP_41), cluster, "HAProxy backend app",
                "rollback --to shop#41 by tester").withKillSwitch(Optional.of(FlagSwitch.of(store(),
                new KillSwitchSpec(List.of(flag, other), KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC))))
                .withRecordAs(Optional.of(new BuildRef("shop", 46)));

        RestoreResult result = Restore.run(target.context(), request);

        assertThat(result.status()).isEqualTo(RestoreResult.Status.FLAGS_OFF);
        assertThat(result.writes()).isZero();
        assertThat(cluster.flagAtEachWrite).isEmpty();
        assertThat(target.canary()).as("traffic left where it was").isEqualTo(Weight.of(100));
        assertThat(flags.enabledInProduction(flag)).isFalse();
        assertThat(flags.enabledInProduction(other)).isFalse();
        assertThat(result.summary()).contains("left as it is", "before-traffic", "puts shop#41 back");
        DeploymentRecord record = target.load(new BuildRef("shop", 46));
        assertThat(record.outcome().status()).isEqualTo(Outcome.Status.ROLLED_BACK);
        assertThat(record.manifests()).as("what is live: shop#42's split")
                .isEqualTo(target.load(RestoreFixture.SHOP_42).manifests());
        AuditEntry rollback = last(target.audit(), AuditAction.ROLLBACK);
        assertThat(rollback.event().evidence()).contains("0 writes", flag + " on -> off", other + " on -> off");
        assertThat(target.auditIntact()).isTrue();
        assertThat(target.locked()).isFalse();
    }

    @Test
    void insteadOfTrafficOnASplitNoRecordHoldsRecordsWhatIsObservedLive() throws Exception {
        String flag = flags.createOn();
        target.router().setCanaryWeight(Weight.of(50)); // weights changed by hand: no record holds this split
        RestoreRequest request = target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(flag, KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC))
                .withRecordAs(Optional.of(new BuildRef("shop", 47)));

        RestoreResult result = Restore.run(target.context(), request);

        assertThat(result.status()).isEqualTo(RestoreResult.Status.FLAGS_OFF);
        assertThat(result.from()).isEmpty();
        DeploymentRecord record = target.load(new BuildRef("shop", 47));
        assertThat(record.manifests()).as("what was observed live").isEqualTo(target.cluster().observe().objects());
        assertThat(record.manifests()).isNotEqualTo(target.load(RestoreFixture.SHOP_42).manifests());
        assertThat(Restore.run(target.context(), target.request(new BuildRef("shop", 47))).writes())
                .as("restorable: it is what is live").isZero();
    }

    @Test
    void anAlreadyLiveRestoreStillTurnsTheFlagsOffAndRecordsItself() throws Exception {
        String flag = flags.createOn();

        RestoreResult result = Restore.run(target.context(), target.request(RestoreFixture.SHOP_42)
                .withKillSwitch(killSwitch(flag, KillSwitchSpec.Mode.BEFORE_TRAFFIC))
                .withRecordAs(Optional.of(new BuildRef("shop", 48))));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.ALREADY_LIVE);
        assertThat(result.writes()).isZero();
        assertThat(flags.enabledInProduction(flag)).isFalse();
        assertThat(target.load(new BuildRef("shop", 48)).outcome().restoredFrom()).isEqualTo(RestoreFixture.SHOP_42);
        AuditEntry rollback = last(target.audit(), AuditAction.ROLLBACK);
        assertThat(rollback.event().evidence()).contains("0 writes", flag + " on -> off");
        assertThat(rollback.event().record().build()).isEqualTo(new BuildRef("shop", 48));
        assertThat(target.auditIntact()).isTrue();
    }

    @Test
    void aFlagThatDoesNotExistRefusesTheRestoreBeforeAnythingIsLockedOrChanged() throws Exception {
        String flag = flags.createOn();
        RestoreRequest request = target.request(RestoreFixture.SHOP_41).withKillSwitch(Optional.of(FlagSwitch.of(store(),
                new KillSwitchSpec(List.of(flag, "no-such-flag"), KillSwitchSpec.Mode.BEFORE_TRAFFIC))));

        assertThatThrownBy(() -> Restore.run(target.context(), request)).isInstanceOfSatisfying(OperationException.class,
                e -> assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID))
                .hasMessageContaining("flag 'no-such-flag' does not exist").hasMessageContaining("nothing was changed");

        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(target.canary()).isEqualTo(Weight.of(100));
        assertThat(target.audit()).isEmpty();
        assertThat(target.locked()).isFalse();
    }

    @Test
    void aRecordAsBuildThatHasARecordIsRefusedBeforeAnythingChanges() throws Exception {
        String flag = flags.createOn();
        RestoreRequest request = target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(flag, KillSwitchSpec.Mode.BEFORE_TRAFFIC))
                .withRecordAs(Optional.of(RestoreFixture.SHOP_42));

        assertThatThrownBy(() -> Restore.run(target.context(), request)).isInstanceOfSatisfying(OperationException.class,
                e -> assertThat(e.kind()).isEqualTo(OperationException.Kind.INVALID))
                .hasMessageContaining("shop#42 already has a record (PROMOTED")
                .hasMessageContaining("a restore cannot overwrite it");

        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(target.canary()).isEqualTo(Weight.of(100));
        assertThat(target.audit()).isEmpty();
    }

    @Test
    void aDryRunTurnsNoFlagOffAndSaysWhatWouldHappen() throws Exception {
        String flag = flags.createOn();

        RestoreResult result = Restore.run(target.context(), target.request(RestoreFixture.SHOP_41)
                .withKillSwitch(killSwitch(flag, KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC)).withDryRun(true));

        assertThat(result.status()).isEqualTo(RestoreResult.Status.DRY_RUN);
        assertThat(result.summary()).contains("the kill switch would turn [" + flag + "]", "instead of changing the target");
        assertThat(flags.enabledInProduction(flag)).isTrue();
        assertThat(target.canary()).isEqualTo(Weight.of(100));
    }

    private Optional<FlagSwitch> killSwitch(String flag, KillSwitchSpec.Mode mode) {
        return Optional.of(FlagSwitch.of(store(), new KillSwitchSpec(List.of(flag), mode)));
    }

    private static UnleashFlagStore store() {
        return new UnleashFlagStore(unleash.baseUrl(), LocalUnleash.ADMIN_TOKEN, "default", "production",
                Duration.ofSeconds(5));
    }

    private static AuditEntry last(List<AuditEntry> entries, AuditAction action) {
        return entries.stream().filter(e -> e.event().action() == action).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no " + action + " entry in " + entries));
    }

    /** The real HAProxy cluster, reading the flag from Unleash at each write: proves the order. */
    private static final class FlagAtWrites implements Cluster {
        private final HAProxyCluster cluster;
        private final String flag;
        final List<Boolean> flagAtEachWrite = new ArrayList<>();

        FlagAtWrites(HAProxyCluster cluster, String flag) {
            this.cluster = cluster;
            this.flag = flag;
        }

        @Override
        public LiveState observe() throws IOException, InterruptedException {
            return cluster.observe();
        }

        @Override
        public void apply(CanonicalObject object) throws IOException, InterruptedException {
            try {
                flagAtEachWrite.add(flags.enabledInProduction(flag));
            } catch (Exception e) {
                throw new IOException(e);
            }
            cluster.apply(object);
        }

        @Override
        public void delete(ObjectKey object) {
            cluster.delete(object);
        }

        @Override
        public void scale(ObjectKey workload, int replicas) {
            cluster.scale(workload, replicas);
        }

        @Override
        public boolean isReady(ObjectKey workload) {
            return cluster.isReady(workload);
        }
    }

}
