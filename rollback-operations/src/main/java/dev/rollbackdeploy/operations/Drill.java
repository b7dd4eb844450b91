package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.audit.AuditAction;
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
 * step): the spec's canary of a deliberately faulty candidate through {@link StagingDrill} on VMs, or
 * through the one deploy on Kubernetes ({@link KubernetesDrill}), which
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
        try {
            StagingDrill.Verdict verdict = spec.isKubernetes() ? KubernetesDrill.run(spec, context, slo) : onVms(spec, context, slo);
            Audit.append(context, AuditAction.DRILL, spec.target().key(), spec.build(), verdict.previous(),
                    verdict.passed() ? "drill passed" : "drill failed: " + String.join("; ", verdict.problems()),
                    verdict.timeToVerdict() == null ? "no verdict" : "caught in " + verdict.timeToVerdict().toSeconds() + " s",
                    null);
            return verdict;
        } catch (IllegalStateException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        } catch (TargetLockedException e) {
            throw new OperationException(OperationException.Kind.LOCKED, e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "the drill could not run: " + e.getMessage(), e);
        }
    }

    private static StagingDrill.Verdict onVms(DeploymentSpec spec, OperationContext context, Duration slo)
            throws OperationException, InterruptedException, IOException, TargetLockedException {
        HAProxyTrafficRouter router = VmTargets.validated(spec);
        try (PrometheusMetricSource metrics = spec.metrics()) {
            return StagingDrill.run(new StagingDrill.Setup(router, spec.recordTarget(), metrics, spec.stepGate(),
                    spec.rollout(), context, spec.build(), spec.buildUrl(),
                    "rollback drill by " + context.actor(),
                    new StrategySpec(StrategyKind.CANARY, Map.of("steps", spec.steps().toString(), "drill", "true")), slo),
                    context.clock(), context.progress()::report);
        }
    }
}
