package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import dev.rollbackdeploy.vm.StoppableRouter;
import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.VmRollout;
import dev.rollbackdeploy.vm.VmRun;
import dev.rollbackdeploy.vm.VmRunState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The deploy on HAProxy-fronted VMs: {@link VmRun} rounds through a {@link StoppableRouter}. */
final class VmDeploy implements TargetDeploy {

    private final DeploymentSpec spec;
    private final Consumer<String> progress;
    private StoppableRouter router;
    private HAProxyTrafficRouter haproxy;
    private PrometheusMetricSource metrics;
    private UnaryOperator<TrafficRouter> guard = UnaryOperator.identity();

    VmDeploy(DeploymentSpec spec, Consumer<String> progress) {
        this.spec = spec;
        this.progress = progress;
    }

    /** Wraps the load balancers' router (a kill switch turns flags off before traffic moves back). */
    void guardWith(UnaryOperator<TrafficRouter> value) {
        guard = value;
    }

    @Override
    public void checkBeforeLock() {
        // every load balancer is checked under the lock (validate): reading them takes no longer
    }

    @Override
    public void validate() throws OperationException, InterruptedException {
        HAProxyTrafficRouter validated = VmTargets.validated(spec);
        haproxy = validated;
        router = new StoppableRouter(guard.apply(validated));
    }

    @Override
    public boolean liveEquals(DeploymentRecord record) throws IOException, InterruptedException {
        return !record.manifests().objects().isEmpty() && record.manifests().equals(live());
    }

    private ManifestSet live() throws IOException, InterruptedException {
        return new HAProxyCluster(haproxy()).observe().objects();
    }

    @Override
    public DriftReport drift(DeploymentRecord previous) throws IOException, InterruptedException {
        return DriftReport.compare(previous.ref().toString(), previous.manifests(), new HAProxyCluster(haproxy()).observe());
    }

    /**
     * VM targets have fixed pools: after a promotion the canary servers carry everything, and a build put on them
     * for the next rollout serves that share, ungated, from the moment it is installed until the first step.
     */
    @Override
    public Optional<String> warningBeforeStart() throws IOException, InterruptedException {
        Weight canary = haproxy().canaryWeight();
        if (canary.equals(Weight.NONE)) {
            return Optional.empty();
        }
        return Optional.of("the canary servers " + spec.haproxy().backend().canaryServers() + " already carry " + canary
                + " of new requests before this rollout starts: the build on them has served that share ungated since it"
                + " was put there. After a promotion, put the next build on the servers at weight 0 and name those the"
                + " canary (swap stable and canary), or move traffic to stable before installing it");
    }

    @Override
    public DeployState start(BuildRef build, Instant startedAt, BuildRef previous, String alreadyLive) {
        return new DeployState(build, spec.target().key(), startedAt, previous, alreadyLive, VmRunState.start());
    }

    @Override
    public Round advance(DeployState state, Instant now) throws IOException, InterruptedException {
        VmRun.Round round = run().advance(state.run(), now);
        return new Round(state.withRun(round.state()), round.callAgainAt());
    }

    @Override
    public String stopOnStable() throws IOException, InterruptedException {
        if (router == null) {
            router = new StoppableRouter(guard.apply(VmTargets.router(spec)));
            haproxy = null;
        }
        router.stopOnStable();
        Weight canary = router.canaryWeight();
        if (!canary.equals(Weight.NONE)) {
            // A kill switch replaced moving traffic (instead-of-traffic): say what is live, not what was asked.
            return "traffic NOT moved: the kill switch turned the flags off instead; " + trafficNow();
        }
        return "traffic is on stable, confirmed on every load balancer";
    }

    @Override
    public String trafficNow() throws IOException, InterruptedException {
        return "the canary " + spec.haproxy().backend().canaryServers() + " still carries " + haproxy().canaryWeight()
                + " of new requests (read back from every load balancer)";
    }

    @Override
    public DeploymentRecord record(DeployState state, RolloutState end, Instant finishedAt, String actor)
            throws InterruptedException {
        VmRollout.Result result = VmRollout.Result.of(state.run()).withState(end);
        return VmRecords.of(spec.build(), spec.buildUrl(), actor, spec.recordTarget(), spec.strategySpec(), liveSplit(),
                result, state.previousBuild(), state.startedAt(), finishedAt);
    }

    @Override
    public String stableName() {
        return String.valueOf(spec.haproxy().backend().stableServers());
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }

    private HAProxyTrafficRouter haproxy() {
        return haproxy != null ? haproxy : VmTargets.router(spec);
    }

    private VmRun run() {
        if (router == null) {
            // A fresh object resuming a persisted state: the spec's load balancers, without the begin() checks.
            haproxy = VmTargets.router(spec);
            router = new StoppableRouter(guard.apply(haproxy));
        }
        if (metrics == null) {
            metrics = spec.metrics();
        }
        boolean blueGreen = spec.strategy() == DeploymentSpec.Strategy.BLUE_GREEN;
        return new VmRun(spec.rollout(), router, metrics, blueGreen ? null : spec.stepGate(),
                blueGreen ? spec.afterSwitchGate() : null, Map.of(), progress);
    }

    /** The traffic split the rollout left, read back from the load balancers: the release the record holds. */
    private ManifestSet liveSplit() throws InterruptedException {
        try {
            return live();
        } catch (IOException e) {
            progress.accept("WARNING: the rollout ended but the split left live cannot be read back ("
                    + e.getMessage() + "); the outcome is recorded without it, so this build cannot be restored with"
                    + " `rollback --to`");
            return ManifestSet.empty();
        }
    }
}
