package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.gate.MetricSource;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.lock.LockInfo;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.lock.TargetLockedException;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.VmRollout;
import dev.rollbackdeploy.vm.VmTarget;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A rollback drill against a staging target: the library call behind {@code rollback drill --spec}
 * and the Jenkins {@code rollbackDrill} step. The caller has put a deliberately faulty candidate on
 * the target's canary servers; the drill canaries it with the metrics gate and then checks what a
 * drill exists to prove:
 * <ol>
 * <li>the gate caught the fault and the rollout rolled back on its own, within the SLO;</li>
 * <li>the live traffic split afterwards equals the previous promoted build's record exactly (if not,
 * the drill restores that record, so staging is never left on the faulty candidate);</li>
 * <li>no lock is left on the target.</li>
 * </ol>
 * The run is recorded like any deployment (outcome and gate evidence) and audited as one: an
 * {@code ABORT} (or {@code DEPLOY}) entry naming the record, appended right after it is saved.
 */
public final class StagingDrill {

    /**
     * What to drill.
     *
     * @param context   the store, the locks and the audit log beside the store; its actor (the caller) is the
     *                  audit entry's
     * @param candidate the build whose faulty candidate runs on the canary servers
     * @param actor     who the candidate's record says deployed it
     * @param slo       the longest acceptable time from the first canary traffic to the verdict
     */
    public record Setup(HAProxyTrafficRouter router, Target.HAProxy target, MetricSource metrics, GateSpec gate,
            RolloutSpec rollout, OperationContext context, BuildRef candidate, URI candidateUrl,
            String actor, StrategySpec strategy, Duration slo) {
    }

    /** What the drill found; {@link #passed()} is the verdict. */
    public record Verdict(VmRollout.Result run, BuildRef previous, Duration timeToVerdict, boolean splitEqualsPrevious,
            boolean restored, Optional<LockInfo> lockLeft, List<String> problems) {

        public boolean passed() {
            return problems.isEmpty();
        }

        /** The figures, in report order. */
        public Map<String, String> figures() {
            Map<String, String> rows = new java.util.LinkedHashMap<>();
            rows.put("faulty candidate", run.state().phase() + (run.state().abortReason() == null ? ""
                    : " — " + run.state().abortReason()));
            rows.put("seconds from first canary traffic to verdict", timeToVerdict == null ? "no verdict"
                    : String.format("%.1f", timeToVerdict.toMillis() / 1000.0));
            rows.put("live split afterwards equals the record of " + previous, splitEqualsPrevious ? "yes"
                    : "NO" + (restored ? " (the drill restored it)" : ""));
            rows.put("lock left on the target", lockLeft.map(LockInfo::toString).orElse("none"));
            rows.put("verdict", passed() ? "PASSED" : "FAILED: " + String.join("; ", problems));
            return rows;
        }
    }

    private StagingDrill() {
    }

    /**
     * @throws IllegalStateException the target has no promoted record to compare with (deploy once first)
     * @throws TargetLockedException another run holds the target
     * @throws IOException           a load balancer, Prometheus or the store could not be used
     */
    public static Verdict run(Setup setup, Clock clock, Consumer<String> progress)
            throws IOException, InterruptedException, TargetLockedException {
        String key = setup.target().key();
        DeploymentRecord previous = previousRecord(setup.context().records(), key);
        progress.accept("drill: canary of the faulty candidate " + setup.candidate() + " on " + key
                + "; it must be rolled back within " + setup.slo().toSeconds() + " s and leave the split of "
                + previous.ref() + " live");
        HAProxyCluster cluster = new HAProxyCluster(setup.router());
        Instant started = clock.instant();
        VmRollout.Result run;
        try (TargetLock.Held held = setup.context().targetLocks().acquire(key, setup.candidate().toString(), Duration.ZERO)) {
            run = new VmRollout(setup.router(), setup.metrics(), setup.gate(), Map.of(), clock, progress).drive(setup.rollout());
            DeploymentRecord record = VmRecords.of(setup.candidate(), setup.candidateUrl(), setup.actor(), setup.target(),
                    setup.strategy(), cluster.observe().objects(), run, Optional.of(previous.ref()), started, clock.instant());
            setup.context().records().save(record);
            Audit.append(setup.context(), run.state().phase() == Phase.ABORTED ? AuditAction.ABORT : AuditAction.DEPLOY,
                    key, previous.ref(), setup.candidate(), "drill of a faulty candidate: " + (run.state().abortReason() == null
                            ? run.state().phase().name().toLowerCase(java.util.Locale.ROOT) : run.state().abortReason()),
                    run.lastGate() == null ? "" : run.lastGate().reason(), record);
        }
        List<String> problems = new ArrayList<>();
        Instant firstTraffic = run.weights().isEmpty() ? started : run.weights().get(0).at();
        Duration toVerdict = run.verdictAt() == null ? null : Duration.between(firstTraffic, run.verdictAt());
        if (run.state().phase() != Phase.ABORTED) {
            problems.add("the faulty candidate was not rolled back: the rollout ended " + run.state().phase());
        } else if (toVerdict != null && toVerdict.compareTo(setup.slo()) > 0) {
            problems.add("detection took " + toVerdict.toSeconds() + " s, over the SLO of " + setup.slo().toSeconds() + " s");
        }
        // Read back through the previous record alone (its endpoints, backend and roles), as `rollback --to` would.
        HAProxyCluster recorded = VmTarget.open(previous, Duration.ofSeconds(2));
        ManifestSet live = recorded.observe().objects();
        boolean equal = live.equals(previous.manifests());
        boolean restored = false;
        if (!equal) {
            problems.add("the live split afterwards " + live.objects() + " differs from the record of " + previous.ref());
            restored = restore(previous, recorded, clock, progress);
        }
        Optional<LockInfo> left = setup.context().targetLocks().holder(key);
        left.ifPresent(l -> problems.add("a lock was left on the target: " + l));
        progress.accept("drill " + (problems.isEmpty() ? "PASSED" : "FAILED: " + String.join("; ", problems)));
        return new Verdict(run, previous.ref(), toVerdict, equal, restored, left, problems);
    }

    private static DeploymentRecord previousRecord(FileRecordStore store, String key) throws IOException {
        return store.latest(key, r -> r.outcome().status() == Outcome.Status.PROMOTED && !r.manifests().objects().isEmpty())
                .orElseThrow(() -> new IllegalStateException("target " + key + " has no promoted build with a recorded"
                        + " traffic split to drill against; deploy a good build to it once (rollback deploy), then drill"));
    }

    /** Puts the previous record's split back, so staging is never left on the faulty candidate. */
    private static boolean restore(DeploymentRecord previous, HAProxyCluster cluster, Clock clock, Consumer<String> progress)
            throws IOException, InterruptedException {
        Plan plan = new RestorePlanner().plan(previous.manifests(), cluster.observe(), RestoreOptions.SAFE);
        if (!plan.isExecutable()) {
            progress.accept("cannot restore " + previous.ref() + ": " + plan.refusals());
            return false;
        }
        PlanExecutor executor = new PlanExecutor(cluster, null, Duration.ofSeconds(30));
        try {
            PlanExecutor.Progress step = executor.begin(plan);
            while (!step.isDone(plan)) {
                step = executor.step(plan, step, clock.instant()).progress();
            }
        } catch (dev.rollbackdeploy.plan.PlanRefusedException | dev.rollbackdeploy.plan.Cluster.WorkloadFailedException e) {
            progress.accept("cannot restore " + previous.ref() + ": " + e.getMessage());
            return false;
        }
        progress.accept("restored the split of " + previous.ref());
        return true;
    }
}
