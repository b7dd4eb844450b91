package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finishes a promoted canary, so that what is live is exactly the build's release and the next
 * build starts clean. When the canary reaches 100% the canary Deployment serves everything and
 * the stable Deployment still runs the old template; then, in this order:
 * <ol>
 * <li><b>stable onto the new template</b>: the release's stable workload is applied (one write,
 * when live differs from it) and must become ready, while the canary still takes all traffic;</li>
 * <li><b>traffic back to stable</b>: the release's HTTPRoute is applied (one write that both moves
 * the traffic and leaves the route as recorded), or the router's weight set to 0; none with the
 * replica-ratio router, whose traffic follows step 3;</li>
 * <li>after {@code drainDelay} (requests in flight, gateways catching up) when step 2 wrote,
 * <b>the canary scaled to 0</b>.</li>
 * </ol>
 * Every step reads before it writes, so a finish repeated after a crash writes nothing already
 * done. If stable cannot become ready on the new template the finish stops before traffic moves:
 * the canary, running that same template, keeps serving, and {@link Finished#complete()} is false.
 */
public final class CanaryPromotion {

    /**
     * What a finish did.
     *
     * @param complete whether live now runs the release with stable serving and the canary at 0
     * @param writes   API writes made by this call (0 when repeated after a complete finish)
     * @param summary  one line for people: what was done, or why it stopped
     */
    public record Finished(boolean complete, int writes, String summary) {
    }

    private final KubernetesCluster cluster;
    private final KubernetesRollout.Workloads workloads;
    private final TrafficRouter router;
    private final CanonicalObject stable;
    private final Optional<CanonicalObject> route;
    private final int canaryReplicas;
    private final Duration progressDeadline;
    private final Duration drainDelay;
    private final Clock clock;
    private final Readiness.Pause pause;
    private final Consumer<String> progress;

    /**
     * @param release          the build's release (as recorded): must hold the stable workload; the
     *                         canary workload, if it holds it, at 0 replicas; the router's HTTPRoute, if
     *                         it holds it, sending the canary nothing
     * @param progressDeadline how long stable may take to become ready on the new template
     * @param drainDelay       how long the canary keeps its pods after traffic left it
     * @throws IllegalArgumentException the release does not fit, naming what and why
     */
    public CanaryPromotion(KubernetesCluster cluster, KubernetesRollout.Workloads workloads, TrafficRouter router,
            ManifestSet release, Duration progressDeadline, Duration drainDelay, Clock clock, KubernetesRollout.Waiter waiter,
            Consumer<String> progress) {
        this(cluster, workloads, router, release, progressDeadline, drainDelay, clock,
                (Readiness.Pause) Objects.requireNonNull(waiter, "waiter")::sleep, progress);
    }

    CanaryPromotion(KubernetesCluster cluster, KubernetesRollout.Workloads workloads, TrafficRouter router,
            ManifestSet release, Duration progressDeadline, Duration drainDelay, Clock clock, Readiness.Pause pause,
            Consumer<String> progress) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.router = Objects.requireNonNull(router, "router");
        this.stable = Objects.requireNonNull(release, "release").get(workloads.stable()).orElseThrow(() ->
                new IllegalArgumentException("the release must hold the stable workload " + workloads.stable()
                        + " (its new template is what stable rolls onto); it has " + release.keys()));
        this.canaryReplicas = release.get(workloads.next()).map(CanaryPromotion::replicas).orElse(0);
        if (canaryReplicas != 0) {
            throw new IllegalArgumentException("spec.replicas of the canary " + workloads.next() + " in the release must be"
                    + " 0 (after promotion it serves nothing), got " + canaryReplicas);
        }
        this.route = router instanceof HttpRouteTrafficRouter http ? release.get(http.routeKey()) : Optional.empty();
        if (route.isPresent()) {
            Weight recorded = recordedShare((HttpRouteTrafficRouter) router, route.get());
            if (!recorded.equals(Weight.NONE)) {
                throw new IllegalArgumentException("the release's " + route.get().key() + " must send the canary nothing"
                        + " (it is what traffic returns to), got " + recorded);
            }
        }
        if (progressDeadline == null || progressDeadline.isNegative() || progressDeadline.isZero()
                || drainDelay == null || drainDelay.isNegative()) {
            throw new IllegalArgumentException("progress deadline must be positive and drain delay 0 or more, got "
                    + progressDeadline + " and " + drainDelay);
        }
        this.progressDeadline = progressDeadline;
        this.drainDelay = drainDelay;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the steps not yet done.
     *
     * @throws IOException the API server failed a call; the step may or may not have taken effect,
     *                     and calling again converges
     */
    public Finished finish() throws IOException, InterruptedException {
        List<String> done = new ArrayList<>();
        int writes = 0;
        if (!cluster.observe(stable.key()).map(live -> live.hash().equals(stable.hash())).orElse(false)) {
            cluster.apply(stable);
            writes++;
            done.add("rolled " + stable.key() + " onto the new template");
            progress.accept("promotion: rolling " + stable.key() + " onto the new template (" + stable.hash() + ")");
        }
        Optional<String> broken = Readiness.await(cluster, stable.key(), progressDeadline, clock, pause);
        if (broken.isPresent()) {
            String why = "promotion not finished: " + broken.get() + "; traffic stays on the canary, which runs the same"
                    + " template; fix it and finish again, or restore an earlier record";
            progress.accept(why);
            return new Finished(false, writes, why);
        }
        int trafficWrites = trafficBackToStable(done);
        writes += trafficWrites;
        if (cluster.replicas(workloads.next()) != canaryReplicas) {
            if (trafficWrites > 0 && !drainDelay.isZero()) {
                progress.accept("promotion: keeping the canary's pods for " + drainDelay + " while requests drain");
                pause.sleep(drainDelay);
            }
            cluster.scale(workloads.next(), canaryReplicas);
            writes++;
            done.add("scaled " + workloads.next() + " to 0");
        }
        Weight share = router.canaryWeight();
        if (!share.equals(Weight.NONE)) {
            throw new IOException("the canary still gets " + share + " of the traffic after the promotion finished:"
                    + " something else changes the split");
        }
        String summary = done.isEmpty() ? "promotion already finished: stable runs the new template and serves all traffic"
                + ", the canary is at 0 (0 writes)"
                : "promotion finished (" + writes + " writes): " + String.join(", ", done);
        progress.accept(summary);
        return new Finished(true, writes, summary);
    }

    /** Step 2; the number of writes it made. */
    private int trafficBackToStable(List<String> done) throws IOException, InterruptedException {
        if (route.isPresent()) {
            CanonicalObject recorded = route.get();
            if (cluster.observe(recorded.key()).map(live -> live.hash().equals(recorded.hash())).orElse(false)) {
                return 0;
            }
            cluster.apply(recorded);
            done.add("traffic back to stable by re-applying " + recorded.key() + " as recorded");
            progress.accept("promotion: all traffic back to stable (" + recorded.key() + " as recorded)");
            return 1;
        }
        if (router instanceof ReplicaRatioTrafficRouter || router.canaryWeight().equals(Weight.NONE)) {
            return 0; // a replica ratio moves with the canary's scale-down; or traffic is back already
        }
        router.setCanaryWeight(Weight.NONE);
        done.add("traffic back to stable");
        progress.accept("promotion: all traffic back to stable");
        return 1;
    }

    private static Weight recordedShare(HttpRouteTrafficRouter router, CanonicalObject route) {
        try {
            return router.shareIn(route.canonicalJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("the release's " + route.key() + " does not fit the router: " + e.getMessage(), e);
        }
    }

    private static int replicas(CanonicalObject workload) {
        JsonNode replicas = LiveObjects.read(workload.canonicalJson()).path("spec").path("replicas");
        return replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asInt();
    }
}
