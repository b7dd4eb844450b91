package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.kubernetes.KubernetesDrift;
import dev.rollbackdeploy.kubernetes.KubernetesTargetException;
import dev.rollbackdeploy.lock.LockInfo;
import dev.rollbackdeploy.plan.ObjectChange;
import dev.rollbackdeploy.plan.ReleaseDiff;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.vm.VmRollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A rollback drill on a Kubernetes staging namespace: the spec's build is a deliberately faulty
 * candidate; it is deployed through the one deploy ({@link Deployment}, recorded as any deploy) and the
 * drill checks that the gate rolled it back on its own within the SLO, that what serves traffic is again
 * exactly the newest promoted record (see {@link #servesPrevious}), and that no lock is left.
 * The time to the verdict counts from the start of the rollout, pods scaling up included.
 */
final class KubernetesDrill {

    private KubernetesDrill() {
    }

    static StagingDrill.Verdict run(DeploymentSpec spec, OperationContext context, Duration slo)
            throws OperationException, InterruptedException, IOException {
        KubernetesTarget target = spec.kubernetes();
        DeploymentRecord previous = context.records().latest(target.key(), r -> r.outcome().status() == Outcome.Status.PROMOTED
                && !r.manifests().objects().isEmpty()).orElseThrow(() -> new IllegalStateException("target " + target.key()
                + " has no promoted build to drill against; deploy a good build to it once (rollback deploy), then drill"));
        context.progress().report("drill: canary of the faulty candidate " + spec.build() + " on " + target.key()
                + "; it must be rolled back within " + slo.toSeconds() + " s and leave " + previous.ref() + " serving");
        AtomicReference<DeployState> last = new AtomicReference<>();
        Deployment.Finished finished;
        try (Deployment deployment = Deployment.of(spec, context)) {
            finished = deployment.runToEnd(last::set);
        }
        DeployState end = last.get();
        List<String> problems = new ArrayList<>();
        Instant verdictAt = end.gate() == null ? null : end.gate().verdictAt();
        Duration toVerdict = verdictAt == null ? null : Duration.between(end.startedAt(), verdictAt);
        if (finished.status() != Deployment.Status.ABORTED) {
            problems.add("the faulty candidate was not rolled back: the rollout ended " + finished.status()
                    + (finished.reason() == null ? "" : " — " + finished.reason()));
        } else if (toVerdict != null && toVerdict.compareTo(slo) > 0) {
            problems.add("detection took " + toVerdict.toSeconds() + " s, over the SLO of " + slo.toSeconds() + " s");
        }
        boolean serving = servesPrevious(spec, previous, problems);
        Optional<LockInfo> left = context.targetLocks().holder(target.key());
        left.ifPresent(l -> problems.add("a lock was left on the target: " + l));
        context.progress().report("drill " + (problems.isEmpty() ? "PASSED" : "FAILED: " + String.join("; ", problems)));
        VmRollout.Result run = new VmRollout.Result(end.rollout(), end.gate() == null ? List.of() : end.gate().evidence(),
                List.of(), verdictAt, null);
        return new StagingDrill.Verdict(run, previous.ref(), toVerdict, serving, false, left, problems);
    }

    /**
     * Whether what serves traffic is the previous record's: every object as recorded but the canary
     * Deployment (at 0 on the candidate's template after an abort) and the HTTPRoute (its weights say
     * 100/0 after an abort where the record names stable alone: the same traffic), and the canary's
     * share 0. A difference is a problem.
     */
    private static boolean servesPrevious(DeploymentSpec spec, DeploymentRecord previous, List<String> problems)
            throws IOException, InterruptedException {
        KubernetesTarget target = spec.kubernetes();
        KubernetesClient client;
        try {
            client = target.connection().connect(KubernetesDeploy.REQUEST_TIMEOUT);
        } catch (KubernetesTargetException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (client) {
            KubernetesParts parts = KubernetesParts.of(client, spec, target, java.time.Clock.systemUTC());
            DriftReport drift = KubernetesDrift.check(parts.router() == null ? parts.cluster()
                    : parts.cluster().withTrafficRouter(parts.router()), previous.ref().toString(), previous.manifests());
            List<ObjectChange> serving = drift.objects().objects().stream().filter(c -> !c.key().equals(target.canary())
                    && !(c.key().kind().equals("HTTPRoute") && c.key().name().equals(target.route()))).toList();
            DriftReport relevant = new DriftReport(drift.against(), new ReleaseDiff(serving), drift.canaryWeight(), List.of());
            if (!relevant.inSync()) {
                problems.add("what serves traffic differs from the record of " + previous.ref() + ": "
                        + relevant.render().replace('\n', ' ') + "; put it back with: rollback --to " + previous.ref());
            }
            return relevant.inSync();
        }
    }
}
