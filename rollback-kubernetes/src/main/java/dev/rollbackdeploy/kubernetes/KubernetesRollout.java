package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.traffic.TrafficRouter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries out a rollout's intents on Kubernetes: the shell loop around the engine's
 * {@link Progression}, for a canary (traffic through a {@link TrafficRouter}: an HTTPRoute, or the
 * replica ratio of two Deployments) or blue-green (a {@link ServiceSwitch}).
 *
 * <ul>
 * <li><b>Before traffic reaches new pods</b> they are scaled up and ready; an image that cannot be
 * pulled, a crash loop, an unschedulable pod or the progress deadline is reported to the engine with
 * the pod's reason, and the rollout aborts.</li>
 * <li><b>Abort</b>: stable is scaled back up (only if something scaled it down) and ready, then all
 * traffic moves to it in one write — the first write of the abort when stable is at full size — and
 * only after the abort delay is the canary scaled to 0. This works while the canary's pods are broken.</li>
 * <li><b>Blue-green</b>: the new Deployment is ready before the switch, the switch is one Service
 * write, the old Deployment stays up for the warm window while the after-switch gate watches, a
 * rollback inside the window is one write back, and after it the old Deployment is scaled to 0.</li>
 * </ul>
 *
 * Waiting goes through a {@link Waiter}, so the CLI sleeps and tests advance a clock. This class is the
 * blocking loop over {@link KubernetesRun}, which does the work one bounded round at a time (as
 * {@code VmRollout} is over {@code VmRun}); a Jenkins step calls the rounds itself.
 */
public final class KubernetesRollout {

    /** How the shell waits between polls. */
    @FunctionalInterface
    public interface Waiter {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One look of a gate. */
    @FunctionalInterface
    public interface Gate {
        Answer look(String name) throws InterruptedException;
    }

    /** What a person asked for, if anything, since the last poll (promote a paused rollout, or abort it). */
    @FunctionalInterface
    public interface Commands {
        Optional<Observation.Command> poll();

        static Commands none() {
            return Optional::empty;
        }
    }

    /** A gate's answer: PROMOTE, ROLLBACK or HOLD (look again), and why. */
    public record Answer(GateDecision.Outcome outcome, String reason) {
        public Answer {
            Objects.requireNonNull(outcome, "outcome");
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * The two versions' Deployments and their full sizes.
     *
     * @param stable the version live now (canary: stable; blue-green: the active version)
     * @param next   the version rolling out (canary: the canary; blue-green: the preview)
     */
    public record Workloads(ObjectKey stable, int stableReplicas, ObjectKey next, int nextReplicas) {
        public Workloads {
            if (stable == null || next == null || stable.equals(next)) {
                throw new IllegalArgumentException("stable and next Deployments must be two different workloads, got "
                        + stable + " and " + next);
            }
            if (stableReplicas < 1 || nextReplicas < 0) {
                throw new IllegalArgumentException("stableReplicas must be 1 or more and nextReplicas 0 or more, got "
                        + stableReplicas + " and " + nextReplicas);
            }
        }
    }

    /**
     * How the rollout ended.
     *
     * @param promotion what finishing a promoted canary did, when a release was given ({@link #finishingPromotionOf})
     */
    public record Result(RolloutState state, Optional<CanaryPromotion.Finished> promotion) {
        public Result(RolloutState state) {
            this(state, Optional.empty());
        }
    }

    /** Polls of readiness, and retries of a traffic write that must succeed, are this far apart. */
    static final Duration POLL = Duration.ofSeconds(1);
    static final int TRAFFIC_BACK_ATTEMPTS = 30;

    private final KubernetesCluster cluster;
    private final Workloads workloads;
    private final TrafficRouter router;
    private final ServiceSwitch services;
    private final Gate gate;
    private final Gate afterSwitch;
    private final Duration afterSwitchInterval;
    private final Clock clock;
    private final Waiter waiter;
    private final Consumer<String> progress;
    private Commands commands = Commands.none();
    private ManifestSet release;
    private LeaseLock lease;
    private Duration renewEvery;
    private Instant renewedAt;

    private KubernetesRollout(KubernetesCluster cluster, Workloads workloads, TrafficRouter router, ServiceSwitch services, Gate gate,
            Gate afterSwitch, Duration afterSwitchInterval, Clock clock, Waiter waiter, Consumer<String> progress) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.router = router;
        this.services = services;
        this.gate = gate;
        this.afterSwitch = afterSwitch;
        this.afterSwitchInterval = afterSwitchInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** A canary whose traffic the router splits; {@code gate} answers the rollout's Gate steps. */
    public static KubernetesRollout canary(KubernetesCluster cluster, Workloads workloads, TrafficRouter router, Gate gate, Clock clock,
            Waiter waiter, Consumer<String> progress) {
        return new KubernetesRollout(cluster, workloads, Objects.requireNonNull(router, "router"), null, gate, null, null,
                clock, waiter, progress);
    }

    /**
     * Blue-green through a Service switch; {@code afterSwitch} watches the new version in the warm
     * window, one look per {@code interval}; it must pass before the window ends.
     */
    public static KubernetesRollout blueGreen(KubernetesCluster cluster, Workloads workloads, ServiceSwitch services, Gate preview,
            Gate afterSwitch, Duration interval, Clock clock, Waiter waiter, Consumer<String> progress) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("after-switch interval must be positive, got " + interval);
        }
        return new KubernetesRollout(cluster, workloads, null, Objects.requireNonNull(services, "services"), preview,
                Objects.requireNonNull(afterSwitch, "afterSwitch"), interval, clock, waiter, progress);
    }

    /**
     * Where a person's promote or abort comes from (a Jenkins input, a signal); polled once a second
     * while the rollout waits. None by default.
     */
    public KubernetesRollout withCommands(Commands source) {
        this.commands = Objects.requireNonNull(source, "commands");
        return this;
    }

    /**
     * The target's lease, already acquired by the caller: renewed every {@code renewEvery} while the
     * rollout waits (keep it well under the lease duration). Losing it (it expired and another build
     * took it) stops the rollout at once with an {@link IOException}: two mutators must never both write.
     */
    public KubernetesRollout holding(LeaseLock heldLease, Duration renewEvery) {
        if (renewEvery == null || renewEvery.isNegative() || renewEvery.isZero()) {
            throw new IllegalArgumentException("lease renewal interval must be positive, got " + renewEvery);
        }
        this.lease = Objects.requireNonNull(heldLease, "lease");
        this.renewEvery = renewEvery;
        this.renewedAt = clock.instant();
        return this;
    }

    /**
     * The build's release: a canary that reaches 100% is then finished by {@link CanaryPromotion} —
     * stable rolled onto the new template and ready, traffic back on it, the canary at 0 — so live is
     * exactly the release. Checked against the workloads and router when {@link #drive} starts,
     * before any write. Without it a promoted canary keeps serving all traffic.
     */
    public KubernetesRollout finishingPromotionOf(ManifestSet buildRelease) {
        if (router == null) {
            throw new IllegalArgumentException("finishing a promotion is for canaries; blue-green switches Services");
        }
        this.release = Objects.requireNonNull(buildRelease, "release");
        return this;
    }

    /**
     * Runs the rollout to its end: {@link KubernetesRun}'s rounds, sleeping through the {@link Waiter}
     * until each asks to be called again. Everything the rollout decides and does is in {@link KubernetesRun}.
     *
     * @throws IllegalArgumentException the spec does not fit this shell, or the release cannot be
     *                                  finished (before any write)
     * @throws IOException              traffic could not be put back (the split is unknown), the lease was
     *                                  lost, or the API server failed a call
     */
    public Result drive(RolloutSpec spec) throws IOException, InterruptedException {
        KubernetesRun run = services != null
                ? KubernetesRun.blueGreen(spec, cluster, workloads, services, gate, afterSwitch, afterSwitchInterval, progress)
                : KubernetesRun.canary(spec, cluster, workloads, router, gate, progress);
        run.withCommands(commands);
        if (lease != null) {
            run.holding(lease, renewEvery, renewedAt);
        }
        if (release != null) {
            run.finishingPromotionOf(release);
        }
        KubernetesRunState state = KubernetesRunState.start();
        while (true) {
            KubernetesRun.Round round = run.advance(state, clock.instant());
            state = round.state();
            if (round.finished()) {
                return new Result(state.rollout(), Optional.ofNullable(state.promoted()));
            }
            Duration left = Duration.between(clock.instant(), round.callAgainAt());
            if (!left.isNegative() && !left.isZero()) {
                waiter.sleep(left);
            }
        }
    }
}
