package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.lock.TargetLockedException;
import dev.rollbackdeploy.prometheus.PrometheusMetricSource;
import dev.rollbackdeploy.record.StrategyKind;
import dev.rollbackdeploy.record.StrategySpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The one "drill" against a staging target ({@code rollback drill --spec}, the {@code rollbackDrill}
 * step): the spec's canary of a deliberately faulty candidate through {@link StagingDrill}, which
 * checks that it was rolled back on its own within the SLO, that the previous record's split is live
 * again and that no lock is left. Blocks for the drill's length (minutes).
 */
public final class Drill {

    private Drill() {
    }

    /**
     * @throws OperationException INVALID (not a canary spec, a load balancer set up wrongly, no promoted
     *                            record to drill against), LOCKED, or INFRASTRUCTURE; nothing was changed
     */
    public static StagingDrill.Verdict staging(DeploymentSpec spec, OperationContext context, Duration slo)
            throws OperationException, InterruptedException {
        if (spec.strategy() != DeploymentSpec.Strategy.CANARY) {
            throw new InvalidSpecException("deployment spec of " + spec.target().key(), java.util.List.of(
                    new SpecProblem("strategy", "blueGreen", "must be canary for a drill (it canaries the faulty candidate)")));
        }
        HAProxyTrafficRouter router = VmTargets.validated(spec);
        try (PrometheusMetricSource metrics = spec.metrics()) {
            return StagingDrill.run(new StagingDrill.Setup(router, spec.recordTarget(), metrics, spec.stepGate(),
                    spec.rollout(), context.records(), context.targetLocks(), spec.build(), spec.buildUrl(),
                    "rollback drill by " + context.actor(),
                    new StrategySpec(StrategyKind.CANARY, Map.of("steps", spec.steps().toString(), "drill", "true")), slo),
                    context.clock(), context.progress()::report);
        } catch (IllegalStateException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        } catch (TargetLockedException e) {
            throw new OperationException(OperationException.Kind.LOCKED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "the drill could not run: " + e.getMessage(), e);
        }
    }
}
