package dev.rollbackdeploy.drill;

import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.RecordedRelease;
import dev.rollbackdeploy.operations.StagingDrill;
import dev.rollbackdeploy.vm.HAProxyGate;
import dev.rollbackdeploy.vm.VmRecords;
import dev.rollbackdeploy.vm.VmRollout;
import dev.rollbackdeploy.gate.GateSpec;
import dev.rollbackdeploy.haproxy.HAProxyBackend;
import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import dev.rollbackdeploy.haproxy.HAProxyCluster;
import dev.rollbackdeploy.local.LocalHAProxy;
import dev.rollbackdeploy.lock.LockInfo;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.lock.TargetLockedException;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import dev.rollbackdeploy.local.LocalServer;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.record.Target;
import dev.rollbackdeploy.prometheus.PrometheusConfig;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local drill, against real parts on loopback: a canary of a deliberately faulty candidate
 * (10% → 25% → 50% → 100% with a metrics gate at each step) must be caught and rolled back on its
 * own; traffic switching is timed over many rollbacks under keep-alive load; a healthy candidate must
 * then be promoted with no false rollback. Shared by the CLI ({@code rollback drill}) and, later, the
 * Jenkins {@code rollbackDrill} step.
 */
public final class LocalDrill {

    /** What the drill measured; {@link #passed()} is the verdict. */
    public record Outcome(VmRollout.Result faulty, VmRollout.Result healthy, long requestsToVerdict,
            Duration timeToVerdict, SwitchTiming.Result switching, long badVersionErrors, Weight weightAfterRollback,
            boolean splitEqualsGood, int restoreActions, String lockLeft, Path records, List<String> problems) {

        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /** How hard to push: requests per second through HAProxy, the candidate's fault, and switches timed. */
    public record Options(double requestsPerSecond, double faultErrorRate, int switches, Duration verdictSlo) {
        public Options {
            if (!(requestsPerSecond > 0) || !(faultErrorRate > 0 && faultErrorRate <= 1) || switches < 1) {
                throw new IllegalArgumentException("drill needs requestsPerSecond > 0, faultErrorRate in (0, 1] and switches >= 1, got "
                        + requestsPerSecond + ", " + faultErrorRate + ", " + switches);
            }
        }

        public static Options defaults() {
            return new Options(200, 0.2, 100, Duration.ofSeconds(60));
        }
    }

    private static final double HEALTHY_ERROR_RATE = 0.01;
    private static final HAProxyBackend BACKEND = new HAProxyBackend(LocalHAProxy.BACKEND, DrillEnvironment.STABLE_SERVERS,
            DrillEnvironment.CANARY_SERVERS);
    private static final List<Weight> STEPS = List.of(Weight.of(10), Weight.of(25), Weight.of(50), Weight.ALL);
    private static final String ACTOR = "rollback drill";
    private static final String RECORDED_BY = "the local drill";
    private static final String TARGET = "local-drill";
    private static final StrategySpec CANARY_STRATEGY = new StrategySpec(StrategyKind.CANARY, Map.of("steps", STEPS.toString()));
    private static final String STABLE = "v1";
    private static final String CANDIDATE = "v2";

    private final Options options;
    private final Clock clock;
    private final Consumer<String> progress;

    public LocalDrill(Options options, Clock clock, Consumer<String> progress) {
        this.options = options;
        this.clock = clock;
        this.progress = progress;
    }

    /** Runs the whole drill; everything it starts is stopped before it returns (or on Ctrl-C). */
    public Outcome run(DrillReportWriter report) throws IOException, InterruptedException {
        try (DrillEnvironment env = DrillEnvironment.start(STABLE, CANDIDATE, options.requestsPerSecond(), progress);
                PrometheusMetricSource metrics = new PrometheusMetricSource(PrometheusConfig.of(env.prometheus().baseUrl())
                        .withScrapeInterval(Duration.ofSeconds(1)).withQueryTimeout(Duration.ofSeconds(5)))) {
            HAProxyTrafficRouter router = new HAProxyTrafficRouter(BACKEND,
                    List.of(new RuntimeApiClient(env.haproxy().adminSocket().toString(), Duration.ofSeconds(2))));
            // Ctrl-C: traffic to stable first; LocalServer's hook then stops the servers.
            try (LocalServer.Registration safety = LocalServer.beforeStopOnShutdown(() -> {
                progress.accept("interrupted: putting traffic back on stable, then stopping everything");
                stableFirst(router, env);
            })) {
                env.stableInstances().forEach(s -> s.inject(new SampleService.Fault(HEALTHY_ERROR_RATE, Duration.ZERO)));
                return drill(env, router, metrics, report);
            } finally {
                stableFirst(router, env);
            }
        }
    }

    private Outcome drill(DrillEnvironment env, HAProxyTrafficRouter router, PrometheusMetricSource metrics,
            DrillReportWriter report) throws IOException, InterruptedException {
        // One directory per run, laid out as the CLI's store (records, locks and audit/ beside each other), so
        // `rollback audit --verify --store drill-N/records` checks this run's records against its own log.
        Path recordsDir = report.file().toAbsolutePath().getParent().resolve("drill-" + clock.instant().getEpochSecond())
                .resolve("records");
        OperationContext context = OperationContext.nextToStore(recordsDir, Duration.ZERO, ACTOR, clock, progress::accept);
        FileRecordStore store = context.records();
        TargetLock locks = context.targetLocks();
        HAProxyCluster cluster = new HAProxyCluster(router);
        Target.HAProxy target = new Target.HAProxy(TARGET, List.of(VmRecords.endpoint(env.haproxy().adminSocket().toString())),
                LocalHAProxy.BACKEND, "local-sockets");
        DeploymentRecord good = VmRecords.baseline(build(1), url(1), ACTOR, target, CANARY_STRATEGY, cluster.observe().objects(),
                clock.instant());
        RecordedRelease.save(context, good, RECORDED_BY);
        GateSpec gate = HAProxyGate.errorRatio(BACKEND, HEALTHY_ERROR_RATE, 10, Duration.ofSeconds(1), Duration.ofSeconds(90));
        VmRollout canary = new VmRollout(router, metrics, gate, Map.of(), clock, progress);
        List<String> problems = new java.util.ArrayList<>();

        progress.accept("drill 1/3: canary of " + CANDIDATE + " with an injected fault (" + (int) (options.faultErrorRate() * 100)
                + "% errors)");
        env.candidate().inject(new SampleService.Fault(options.faultErrorRate(), Duration.ZERO));
        long candidateBefore = served(env);
        Instant faultyStarted = clock.instant();
        StagingDrill.Verdict verdict;
        try {
            verdict = StagingDrill.run(new StagingDrill.Setup(router, target, metrics, gate, spec(), context,
                    build(2), url(2), ACTOR, CANARY_STRATEGY, options.verdictSlo()), clock, progress);
        } catch (TargetLockedException e) {
            throw new IOException("the drill's own target is locked: " + e.getMessage(), e);
        }
        VmRollout.Result faulty = verdict.run();
        problems.addAll(verdict.problems());
        long badErrors = env.load().serverErrors(CANDIDATE);
        Duration toVerdict = verdict.timeToVerdict();
        long requestsToVerdict = served(env) - candidateBefore;
        Weight after = router.canaryWeight();
        if (!after.equals(Weight.NONE)) {
            problems.add("after the rollback the canary still has " + after + " of traffic");
        }
        // Restoring the good build (what `rollback --to` plans, from the record alone) must do nothing.
        ManifestSet goodSplit = store.load(good.ref()).manifests();
        Plan restore = new RestorePlanner().plan(goodSplit, cluster.observe(), RestoreOptions.SAFE);
        progress.accept("rollback --to " + good.ref() + " after the automatic rollback: " + restore.actions().size()
                + " actions" + (restore.isEmpty() ? " (a no-op: already restored)" : ""));
        if (!restore.isEmpty()) {
            problems.add("restoring the good build after the rollback would still do: " + restore.actions());
        }

        progress.accept("drill 2/3: " + options.switches() + " rollbacks timed under keep-alive load");
        env.candidate().inject(SampleService.Fault.NONE);
        SwitchTiming.Result switching = SwitchTiming.measure(router, env.load(), CANDIDATE, Weight.of(50), options.switches(), progress);
        if (switching.switchFailures() != 0) {
            problems.add(switching.switchFailures() + " requests failed during traffic switches: " + switching.failureReasons());
        }

        progress.accept("drill 3/3: canary of a healthy " + CANDIDATE + ": must be promoted");
        Instant healthyStarted = clock.instant();
        VmRollout.Result healthy;
        try (TargetLock.Held held = locks.acquire(TARGET, build(3).toString(), Duration.ZERO)) {
            healthy = canary.drive(spec());
            RecordedRelease.save(context, VmRecords.of(build(3), url(3), ACTOR, target, CANARY_STRATEGY,
                    cluster.observe().objects(), healthy, Optional.of(good.ref()), healthyStarted, clock.instant()), RECORDED_BY);
        } catch (TargetLockedException e) {
            throw new IOException("the drill's own target is locked: " + e.getMessage(), e);
        }
        if (healthy.state().phase() != Phase.PROMOTED) {
            problems.add("the healthy candidate was not promoted: " + healthy.state().phase() + " — " + healthy.state().abortReason());
        }
        router.setCanaryWeight(Weight.NONE);
        Optional<LockInfo> leftover = locks.holder(TARGET);
        leftover.ifPresent(l -> problems.add("a lock was left on the target: " + l));
        progress.accept("lock of target " + TARGET + " after the drill: " + leftover.map(LockInfo::toString).orElse("none left"));
        Outcome outcome = new Outcome(faulty, healthy, requestsToVerdict, toVerdict, switching, badErrors, after,
                verdict.splitEqualsPrevious(), restore.actions().size(), leftover.map(LockInfo::toString).orElse("none"),
                recordsDir, problems);
        report.write(outcome, DrillReportWriter.chart(faulty, metrics, faultyStarted, clock.instant()));
        return outcome;
    }

    private long served(DrillEnvironment env) {
        return env.load().ok(CANDIDATE) + env.load().serverErrors(CANDIDATE);
    }

    /** Ctrl-C or any failure: traffic to stable first, then everything stops (the environment closes). */
    private void stableFirst(HAProxyTrafficRouter router, DrillEnvironment env) {
        try {
            router.setCanaryWeight(Weight.NONE);
        } catch (IOException | RuntimeException e) {
            progress.accept("could not put traffic back on stable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Canary 10% → 25% → 50% → 100%, a gate after each shift. */
    static RolloutSpec spec() {
        return HAProxyGate.canary(STEPS, Duration.ofSeconds(90));
    }

    private static BuildRef build(int number) {
        return new BuildRef("drill/local", number);
    }

    private static URI url(int number) {
        return URI.create("http://127.0.0.1/drill/local/" + number + "/");
    }
}
