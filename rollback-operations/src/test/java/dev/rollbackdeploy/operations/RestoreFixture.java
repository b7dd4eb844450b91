package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditEntry;
import dev.rollbackdeploy.audit.AuditLog;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordSafety;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaRequirement;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.VmRecords;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A VM target on a real HAProxy for restore tests: shop#41 was live with all traffic on stable (recorded at
 * schema 1), shop#42 is live now with all traffic on the canary servers, so restoring shop#41 is one write.
 */
final class RestoreFixture {

    static final String TARGET = "shop-vms";
    static final BuildRef SHOP_41 = new BuildRef("shop", 41);
    static final BuildRef SHOP_42 = new BuildRef("shop", 42);

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Path dir;
    private final LocalHAProxy haproxy;
    private volatile Runnable atPlanning = () -> { };
    private int fixtureEntries;

    RestoreFixture(Path dir, LocalHAProxy haproxy) {
        this.dir = dir;
        this.haproxy = haproxy;
    }

    /** Records shop#41 (stable live) and shop#42 (canary live), and leaves shop#42 live. */
    RestoreFixture shop42LiveAfterShop41() throws Exception {
        record(41, Weight.NONE);
        record(42, Weight.of(100));
        return this;
    }

    HAProxyTrafficRouter router() throws InvalidSpecException {
        return VmTargets.router(spec(1));
    }

    HAProxyCluster cluster() throws InvalidSpecException {
        return new HAProxyCluster(router());
    }

    OperationContext context() {
        return OperationContext.nextToStore(dir.resolve("records"), Duration.ZERO, "tester", Clock.systemUTC(), line -> {
            log.add(line);
            if (line.startsWith("planning the restore")) {
                atPlanning.run();
            }
        });
    }

    DeploymentRecord load(BuildRef build) throws Exception {
        return context().records().load(build);
    }

    RestoreRequest request(BuildRef build) throws Exception {
        return RestoreRequest.of(load(build), cluster(), "HAProxy backend app", "rollback --to " + build + " by tester");
    }

    /** The entries the operations under test appended: those after the fixture's own (recording its builds). */
    List<AuditEntry> audit() throws IOException {
        Path file = dir.resolve("audit/audit.jsonl");
        List<AuditEntry> all = Files.exists(file) ? AuditLog.besideStore(dir.resolve("records")).read() : List.of();
        return all.subList(fixtureEntries, all.size());
    }

    boolean auditIntact() throws Exception {
        return AuditLog.besideStore(dir.resolve("records")).verify(context().records()).intact();
    }

    boolean locked() throws IOException {
        return new FileTargetLock(context().locks()).holder(TARGET).isPresent();
    }

    Weight canary() throws Exception {
        return router().canaryWeight();
    }

    /** What to do when a restore reports its planning: after the checks at the door and the lock. */
    void atPlanning(Runnable action) {
        atPlanning = action;
    }

    private void record(int build, Weight canary) throws Exception {
        DeploymentSpec spec = spec(build);
        HAProxyCluster cluster = new HAProxyCluster(VmTargets.router(spec));
        cluster.router().setCanaryWeight(canary);
        DeploymentRecord record = VmRecords.baseline(spec.build(), spec.buildUrl(), "tester", spec.recordTarget(),
                spec.strategySpec(), cluster.observe().objects(), Clock.systemUTC().instant())
                .withSafety(RecordSafety.NONE.withSchema(SchemaJson.requirement(SchemaRequirement.declared("1", null, null))));
        // As the product records a release it did not deploy itself: saved and audited, so the log verifies.
        RecordedRelease.save(context(), record, "the restore tests' fixture");
        fixtureEntries++;
    }

    private DeploymentSpec spec(int build) throws InvalidSpecException {
        return DeploymentSpec.builder().build("shop#" + build).buildUrl(URI.create("https://ci.example.com/job/shop/" + build
                        + "/").toString())
                .targetKey(TARGET)
                .haproxySockets(List.of(haproxy.adminSocket().toString())).haproxyBackend(LocalHAProxy.BACKEND)
                .stableServers(List.of("stable1")).canaryServers(List.of("canary1"))
                .prometheus("http://127.0.0.1:9/").steps(List.of(25, 100)).toSpec("test");
    }
}
