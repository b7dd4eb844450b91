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
import java.time.Instant;
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
     * How far a finish got, as plain data a round-by-round run persists ({@link KubernetesRun}).
     *
     * @param until  STABLE_READY: when stable's readiness deadline passes; DRAIN: when the drain ends
     * @param writes writes made so far by this finish
     * @param done   what was done, for the summary
     */
    public record Progress(Stage stage, Instant until, int writes, List<String> done) {
        public enum Stage { APPLY_STABLE, STABLE_READY, TRAFFIC, DRAIN, SCALE_CANARY, VERIFY }

        public Progress {
            done = List.copyOf(done);
        }

        public static Progress start() {
            return new Progress(Stage.APPLY_STABLE, null, 0, List.of());
        }

        Progress then(Stage next, Instant at, int moreWrites, String did) {
            List<String> all = new ArrayList<>(done);
            if (did != null) {
                all.add(did);
            }
            return new Progress(next, at, writes + moreWrites, all);
        }
    }

    /** After one step: the progress and when to call again, or how the finish ended. */
    public record Step(Progress progress, Instant callAgainAt, Finished finished) {
    }

    /**
     * Runs the steps not yet done, waiting in between.
     *
     * @throws IOException the API server failed a call; the step may or may not have taken effect,
     *                     and calling again converges
     */
    public Finished finish() throws IOException, InterruptedException {
        Progress progress = Progress.start();
        while (true) {
            Step step = advance(progress, clock.instant());
            if (step.finished() != null) {
                return step.finished();
            }
            progress = step.progress();
            Duration left = Duration.between(clock.instant(), step.callAgainAt());
            pause.sleep(left.isNegative() ? Duration.ZERO : left);
        }
    }

    /**
     * The steps until one must wait (stable becoming ready, requests draining) or the finish ended.
     * Never sleeps. Every step reads before it writes, so a progress persisted before a crash and
     * resumed repeats no write.
     */
    public Step advance(Progress start, Instant now) throws IOException, InterruptedException {
        Progress p = start;
        while (true) {
            switch (p.stage()) {
                case APPLY_STABLE -> {
                    boolean current = cluster.observe(stable.key()).map(live -> live.hash().equals(stable.hash()))
                            .orElse(false);
                    if (!current) {
                        cluster.apply(stable);
                        progress.accept("promotion: rolling " + stable.key() + " onto the new template (" + stable.hash() + ")");
                    }
                    p = p.then(Progress.Stage.STABLE_READY, now.plus(progressDeadline), current ? 0 : 1,
                            current ? null : "rolled " + stable.key() + " onto the new template");
                }
                case STABLE_READY -> {
                    Readiness.Poll poll = Readiness.check(cluster, stable.key(), p.until(), progressDeadline, now);
                    if (poll instanceof Readiness.Poll.NotYet) {
                        return new Step(p, now.plus(KubernetesRollout.POLL), null);
                    }
                    if (poll instanceof Readiness.Poll.Broken broken) {
                        String why = "promotion not finished: " + broken.reason() + "; traffic stays on the canary, which"
                                + " runs the same template; fix it and finish again, or restore an earlier record";
                        progress.accept(why);
                        return new Step(p, null, new Finished(false, p.writes(), why));
                    }
                    p = p.then(Progress.Stage.TRAFFIC, null, 0, null);
                }
                case TRAFFIC -> {
                    List<String> did = new ArrayList<>();
                    int trafficWrites = trafficBackToStable(did);
                    p = p.then(Progress.Stage.SCALE_CANARY, null, trafficWrites, did.isEmpty() ? null : did.get(0));
                    if (trafficWrites > 0 && !drainDelay.isZero() && cluster.replicas(workloads.next()) != canaryReplicas) {
                        progress.accept("promotion: keeping the canary's pods for " + drainDelay + " while requests drain");
                        p = p.then(Progress.Stage.DRAIN, now.plus(drainDelay), 0, null);
                    }
                }
                case DRAIN -> {
                    if (now.isBefore(p.until())) {
                        return new Step(p, p.until(), null);
                    }
                    p = p.then(Progress.Stage.SCALE_CANARY, null, 0, null);
                }
                case SCALE_CANARY -> {
                    boolean scale = cluster.replicas(workloads.next()) != canaryReplicas;
                    if (scale) {
                        cluster.scale(workloads.next(), canaryReplicas);
                    }
                    p = p.then(Progress.Stage.VERIFY, null, scale ? 1 : 0, scale ? "scaled " + workloads.next() + " to 0" : null);
                }
                case VERIFY -> {
                    return new Step(p, null, verified(p));
                }
                default -> throw new AssertionError(p.stage());
            }
        }
    }

    private Finished verified(Progress p) throws IOException, InterruptedException {
        Weight share = router.canaryWeight();
        if (!share.equals(Weight.NONE)) {
            throw new IOException("the canary still gets " + share + " of the traffic after the promotion finished:"
                    + " something else changes the split");
        }
        String summary = p.done().isEmpty() ? "promotion already finished: stable runs the new template and serves all"
                + " traffic, the canary is at 0 (0 writes)"
                : "promotion finished (" + p.writes() + " writes): " + String.join(", ", p.done());
        progress.accept(summary);
        return new Finished(true, p.writes(), summary);
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
