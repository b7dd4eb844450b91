package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.KubernetesDrift;
import dev.rollbackdeploy.kubernetes.KubernetesRun;
import dev.rollbackdeploy.kubernetes.KubernetesRunState;
import dev.rollbackdeploy.kubernetes.KubernetesTargetCheck;
import dev.rollbackdeploy.kubernetes.KubernetesTargetException;
import dev.rollbackdeploy.kubernetes.LeaseLock;
import dev.rollbackdeploy.kubernetes.Retrying;
import dev.rollbackdeploy.kubernetes.TargetLockedException;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.TrafficGuard;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The deploy on Kubernetes: {@link KubernetesRun} rounds on the spec's namespace, under the target's
 * Lease (besides the store's lock: two CI systems sharing a cluster but not a store still exclude each
 * other), the gate on Prometheus ({@link ProbeGate}). Before the first round the build's release is
 * applied except what the rollout itself moves: the stable Deployment (rolled onto the new template
 * when a canary is promoted), the HTTPRoute (the router's weights; re-applied as recorded on promotion)
 * and blue-green's active Service (switched in one write). Every apply reads first, so a repeated
 * round writes nothing twice.
 */
final class KubernetesDeploy implements TargetDeploy {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration RENEW_EVERY = Duration.ofSeconds(15);
    private static final int STOP_ATTEMPTS = 5;

    private final DeploymentSpec spec;
    private final KubernetesTarget target;
    private final OperationContext context;
    private final Object roundLock = new Object();
    private KubernetesParts parts;
    private PrometheusMetricSource metrics;
    private ProbeGate gate;
    private KubernetesRun run;
    private boolean leaseHeld;
    private boolean underWay;
    private volatile boolean stopped;
    private TrafficGuard guard = TrafficGuard.NONE;

    KubernetesDeploy(DeploymentSpec spec, OperationContext context) {
        this.spec = spec;
        this.target = spec.kubernetes();
        this.context = context;
    }

    /** Asked before traffic goes back to stable (a kill switch), by the rounds and by a stop; set before the first round. */
    void guardWith(TrafficGuard value) {
        guard = value;
    }

    @Override
    public void checkBeforeLock() throws OperationException, InterruptedException {
        try {
            KubernetesTargetCheck.checkNamespace(parts().client(), target.namespace(), Retrying.standard())
                    .forEach(w -> context.progress().report("WARNING: " + w));
        } catch (KubernetesTargetException e) {
            throw new InvalidSpecException("deployment spec of " + target.key(), List.of(new SpecProblem(
                    "target." + e.field(), e.value(), e.getMessage().substring(e.field().length() + e.value().length() + 4)
                            + "; nothing was changed")));
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot ask the API server of "
                    + target.connection() + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    @Override
    public void validate() throws OperationException, InterruptedException {
        holdLease();
    }

    @Override
    public boolean liveEquals(DeploymentRecord record) throws IOException, InterruptedException {
        return !record.manifests().objects().isEmpty() && drift(record).inSync();
    }

    @Override
    public DriftReport drift(DeploymentRecord previous) throws IOException, InterruptedException {
        KubernetesParts p = connected();
        KubernetesCluster cluster = p.router() == null ? p.cluster() : p.cluster().withTrafficRouter(p.router());
        return KubernetesDrift.check(cluster, previous.ref().toString(), previous.manifests());
    }

    @Override
    public DeployState start(BuildRef build, Instant startedAt, BuildRef previous, String alreadyLive) {
        return new DeployState(build, target.key(), startedAt, previous, alreadyLive, null, KubernetesRunState.start(),
                GateLooks.none());
    }

    @Override
    public Round advance(DeployState state, Instant now) throws IOException, InterruptedException, OperationException {
        synchronized (roundLock) {
            if (stopped) {
                return new Round(state, now.plus(Duration.ofSeconds(1))); // the stop records the outcome
            }
            holdLease();
            KubernetesRunState before = state.kubernetes();
            if (before.rollout().phase() == Phase.PENDING && before.pending().isEmpty()) {
                applyRelease();
            }
            gate().resume(state.gate(), now);
            KubernetesRun.Round round = run().advance(before, now);
            underWay = round.callAgainAt() != null;
            return new Round(state.withKubernetes(round.state(), gate.memory()), round.callAgainAt());
        }
    }

    @Override
    public String stopOnStable() throws IOException, InterruptedException {
        stopped = true;
        synchronized (roundLock) {
            IOException last = null;
            for (int attempt = 1; attempt <= STOP_ATTEMPTS; attempt++) {
                try {
                    return parts().putTrafficOnStable(guard);
                } catch (OperationException e) {
                    throw new IOException(e.getMessage(), e);
                } catch (IOException e) {
                    last = e;
                    if (attempt < STOP_ATTEMPTS) {
                        Thread.sleep(1000);
                    }
                }
            }
            throw last;
        }
    }

    @Override
    public String trafficNow() throws IOException, InterruptedException {
        return connected().trafficNow();
    }

    @Override
    public DeploymentRecord record(DeployState state, RolloutState end, Instant finishedAt, String actor) {
        underWay = false;
        return KubernetesRecords.of(spec, target, state, end, finishedAt, actor);
    }

    @Override
    public String stableName() {
        return "Deployment " + target.stable().name();
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (parts != null) {
            // A rollout under way keeps its Lease between objects (a Jenkins controller restart resumes it as
            // the same holder); otherwise it is given up, or expires by itself if this process dies.
            if (leaseHeld && !underWay) {
                try {
                    parts.lease().release();
                } catch (IOException e) {
                    context.progress().report("could not give up the Lease of " + target.key() + ": " + e.getMessage()
                            + " (it expires by itself in " + LEASE.toSeconds() + " s)");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                leaseHeld = false;
            }
            parts.client().close();
            parts = null;
        }
    }

    /** The release's objects the rollout does not move itself, applied where live differs. */
    private void applyRelease() throws IOException, InterruptedException {
        KubernetesCluster cluster = connected().cluster();
        int written = 0;
        for (CanonicalObject object : target.release().objects()) {
            ObjectKey key = object.key();
            boolean movedByRollout = key.equals(target.stable())
                    || key.kind().equals("HTTPRoute") && key.name().equals(target.route())
                    || key.kind().equals("Service") && key.group().isEmpty() && key.name().equals(target.service());
            if (movedByRollout || cluster.observe(key).map(live -> live.hash().equals(object.hash())).orElse(false)) {
                continue;
            }
            cluster.apply(object);
            written++;
        }
        context.progress().report("applied " + written + " object(s) of " + spec.build() + "'s release (the stable"
                + " Deployment, the route and the active Service are moved by the rollout)");
    }

    private void holdLease() throws OperationException, InterruptedException {
        if (leaseHeld) {
            return;
        }
        try {
            parts().lease().acquire(context.lockWait());
            leaseHeld = true;
            run().holding(parts().lease(), RENEW_EVERY, context.clock().instant());
        } catch (TargetLockedException e) {
            throw new OperationException(OperationException.Kind.LOCKED, "the Lease of " + target.key() + " in namespace "
                    + target.namespace() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot take the Lease of " + target.key()
                    + " in namespace " + target.namespace() + ": " + e.getMessage(), e);
        }
    }

    private KubernetesParts parts() throws OperationException {
        if (parts == null) {
            KubernetesClient client;
            try {
                client = target.connection().connect(REQUEST_TIMEOUT);
            } catch (KubernetesTargetException e) {
                throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
            }
            parts = KubernetesParts.of(client, spec, target, context.clock());
        }
        return parts;
    }

    /** The adapters, for callers past the checks (the connection was made there already). */
    private KubernetesParts connected() throws IOException {
        try {
            return parts();
        } catch (OperationException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private ProbeGate gate() {
        if (gate == null) {
            metrics = spec.metrics();
            boolean blueGreen = spec.strategy() == DeploymentSpec.Strategy.BLUE_GREEN;
            gate = new ProbeGate(blueGreen ? spec.afterSwitchGate() : spec.stepGate(), metrics, blueGreen);
        }
        return gate;
    }

    private KubernetesRun run() throws OperationException {
        if (run == null) {
            run = parts().run(spec, gate(), context.progress()::report).withGateInterval(spec.gate().interval())
                    .guardedBy(guard);
        }
        return run;
    }
}
