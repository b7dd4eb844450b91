package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.rollout.Decision;
import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.Progression;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.rollout.WarmWindow;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
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
 * Waiting goes through a {@link Waiter}, so the CLI sleeps and tests advance a clock.
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

    /** Waits, renewing the lease when due. */
    private void pause(Duration duration) throws IOException, InterruptedException {
        if (lease != null && !clock.instant().isBefore(renewedAt.plus(renewEvery))) {
            try {
                lease.renew();
                renewedAt = clock.instant();
            } catch (TargetLockedException e) {
                throw new IOException("lost the lock of the target, stopping without another write: " + e.getMessage(), e);
            }
        }
        waiter.sleep(duration);
    }

    /** The loop's own state between intents. */
    private static final class Run {
        RolloutState state = RolloutState.start();
        Observation seen = Observation.started();
        boolean afterSwitchDecided;
        int trafficBackFailures;
    }

    public Result drive(RolloutSpec spec) throws IOException, InterruptedException {
        if ((spec.strategy() == RolloutSpec.Strategy.BLUE_GREEN) != (services != null)) {
            throw new IllegalArgumentException("a " + spec.strategy() + " rollout needs "
                    + (services != null ? "a canary shell (a traffic router)" : "a blue-green shell (a Service switch)"));
        }
        CanaryPromotion promotion = release == null ? null : new CanaryPromotion(cluster, workloads, router, release,
                spec.progressDeadline(), spec.scaleDownDelay(), clock, (Readiness.Pause) this::pause, progress);
        Run run = new Run();
        if (services != null) {
            // The preview must be up before anything else: a broken preview aborts with nothing switched.
            Optional<String> broken = scaleUpAndWait(workloads.next(), workloads.nextReplicas(), spec.progressDeadline());
            run.seen = broken.map(Observation::workloadFailed).orElse(Observation.started());
        }
        while (!Progression.isFinished(spec, run.state)) {
            Decision decision = Progression.next(spec, run.state, run.seen, clock.instant());
            run.state = decision.state();
            run.seen = Observation.done();
            for (Intent intent : decision.intents()) {
                if (!carryOut(spec, run, intent)) {
                    break;
                }
            }
        }
        boolean promoted = run.state.phase() == Phase.PROMOTED;
        return new Result(run.state, promoted && promotion != null ? Optional.of(promotion.finish()) : Optional.empty());
    }

    private boolean carryOut(RolloutSpec spec, Run run, Intent intent) throws IOException, InterruptedException {
        if (intent instanceof Intent.EnsureStableReady) {
            Optional<String> problem = scaleUpAndWait(workloads.stable(), workloads.stableReplicas(), spec.progressDeadline());
            problem.ifPresent(p -> progress.accept("stable is not ready (" + p + "); moving traffic to it anyway: it is the"
                    + " version that worked"));
        } else if (intent instanceof Intent.SetCanaryWeight set) {
            return setWeight(spec, run, set.weight());
        } else if (intent instanceof Intent.ScaleDownCanary) {
            scaleToZero(workloads.next(), "");
        } else if (intent instanceof Intent.SwitchActive to) {
            return switchActive(run, to.to());
        } else if (intent instanceof Intent.ScaleDownPrevious) {
            scaleToZero(workloads.stable(), "warm window over: the previous version ");
        } else if (intent instanceof Intent.RunGate step) {
            if (reportIfBroken(run)) {
                return false;
            }
            Answer answer = Objects.requireNonNull(gate, "this rollout has Gate steps but no gate").look(step.name());
            progress.accept("gate " + step.name() + ": " + answer.outcome() + " — " + answer.reason());
            run.seen = Observation.gate(answer.outcome(), answer.reason());
        } else if (intent instanceof Intent.WaitUntil wait) {
            if (run.state.phase() == Phase.PROMOTED && afterSwitch != null && !run.afterSwitchDecided && wait.until() != null) {
                watchWarmWindow(run, wait.until());
            } else {
                return waitForTimeOrPerson(run, wait.until());
            }
        } else if (intent instanceof Intent.Done done) {
            progress.accept("rollout " + done.outcome() + ": " + done.reason());
        } else {
            throw new IllegalStateException("a Kubernetes rollout run cannot carry out " + intent
                    + "; restoring the previous record is the caller's (RestorePreparation + PlanExecutor)");
        }
        return true;
    }

    /**
     * Waits until {@code until} (forever when null: a pause until promoted), polling for a person's
     * command; false when one came (the engine must hear it before anything else).
     */
    private boolean waitForTimeOrPerson(Run run, Instant until) throws IOException, InterruptedException {
        if (until == null) {
            progress.accept("paused until a person promotes or aborts");
        }
        // A rollout under way can be promoted or aborted; a promoted blue-green (warm window) only rolled
        // back; an abort under way is not asked again.
        boolean listening = run.state.phase() == Phase.PAUSED || run.state.phase() == Phase.PROGRESSING;
        boolean warm = run.state.phase() == Phase.PROMOTED;
        if (until == null && !listening) {
            throw new IllegalStateException("waiting for a person in phase " + run.state.phase());
        }
        while (until == null || clock.instant().isBefore(until)) {
            if ((listening || warm) && reportIfBroken(run)) {
                return false;
            }
            Optional<Observation.Command> command = listening || warm ? commands.poll() : Optional.empty();
            if (warm && command.isPresent() && command.get() != Observation.Command.ABORT) {
                command = Optional.empty();
            }
            if (command.isPresent()) {
                progress.accept("a person asked to " + command.get().name().toLowerCase(java.util.Locale.ROOT));
                run.seen = Observation.command(command.get());
                return false;
            }
            Duration left = until == null ? POLL : Duration.between(clock.instant(), until);
            pause(left.compareTo(POLL) < 0 ? left : POLL);
        }
        return true;
    }

    private boolean setWeight(RolloutSpec spec, Run run, Weight weight) throws IOException, InterruptedException {
        boolean aborting = run.state.phase() == Phase.ABORTING;
        boolean routerScalesPods = router instanceof ReplicaRatioTrafficRouter;
        if (!weight.equals(Weight.NONE) && !routerScalesPods) {
            Optional<String> broken = scaleUpAndWait(workloads.next(), workloads.nextReplicas(), spec.progressDeadline());
            if (broken.isPresent()) {
                run.seen = Observation.workloadFailed(broken.get());
                return false;
            }
        }
        try {
            router.setCanaryWeight(weight);
            progress.accept("canary weight " + weight + " confirmed");
        } catch (IOException e) {
            progress.accept("setting canary weight " + weight + " failed: " + e.getMessage());
            if (aborting && ++run.trafficBackFailures >= TRAFFIC_BACK_ATTEMPTS) {
                throw new IOException("could not put traffic back on stable after " + run.trafficBackFailures
                        + " attempts; the traffic split is UNKNOWN: " + e.getMessage(), e);
            }
            if (aborting) {
                pause(POLL);
            }
            run.seen = Observation.intentFailed(e.getMessage());
            return false;
        }
        if (routerScalesPods && !weight.equals(Weight.NONE)) {
            Optional<String> broken = waitReady(workloads.next(), spec.progressDeadline());
            if (broken.isPresent()) {
                run.seen = Observation.workloadFailed(broken.get());
                return false;
            }
        }
        return true;
    }

    private boolean switchActive(Run run, Intent.Side side) throws IOException, InterruptedException {
        if (side == Intent.Side.PREVIEW) {
            try {
                boolean wrote = services.promote();
                progress.accept("switched the active Service to the new version (" + (wrote ? "1 write" : "already there") + ")");
                return true;
            } catch (IOException e) {
                progress.accept("the switch was not confirmed: " + e.getMessage());
                run.seen = Observation.workloadFailed("the switch to the new version was not confirmed: " + e.getMessage());
                return false;
            }
        }
        while (true) {
            try {
                boolean wrote = services.switchBack();
                progress.accept("switched the active Service back to the previous version ("
                        + (wrote ? "1 write" : "already there") + ")");
                return true;
            } catch (IllegalStateException never) {
                progress.accept("the active Service was never switched: it still serves the previous version");
                return true;
            } catch (IOException e) {
                progress.accept("switching back failed: " + e.getMessage());
                if (++run.trafficBackFailures >= TRAFFIC_BACK_ATTEMPTS) {
                    throw new IOException("could not switch back after " + run.trafficBackFailures
                            + " attempts; the active Service's selector is UNKNOWN: " + e.getMessage(), e);
                }
                pause(POLL);
            }
        }
    }

    /**
     * The warm window through the engine's {@link WarmWindow} (shared with the VM shell): the
     * after-switch gate is asked every interval for the whole window, and any failing look switches
     * back (issue 9 item 3); between looks, broken pods and a person's abort are heard at once.
     */
    private void watchWarmWindow(Run run, Instant windowEnd) throws IOException, InterruptedException {
        WarmWindow window = WarmWindow.open(clock.instant(), windowEnd, afterSwitchInterval);
        while (true) {
            WarmWindow.Next next = window.next(clock.instant());
            if (next instanceof WarmWindow.Look) {
                Answer answer = afterSwitch.look("after-switch");
                if (answer.outcome() != GateDecision.Outcome.HOLD) {
                    progress.accept("gate after-switch: " + answer.outcome() + " — " + answer.reason());
                }
                window = window.afterLook(answer.outcome(), answer.reason(), clock.instant());
            } else if (next instanceof WarmWindow.WaitUntil wait) {
                if (reportIfBroken(run)) {
                    run.afterSwitchDecided = true;
                    return;
                }
                if (commands.poll().filter(c -> c == Observation.Command.ABORT).isPresent()) {
                    progress.accept("a person asked to roll back inside the warm window");
                    run.afterSwitchDecided = true;
                    run.seen = Observation.command(Observation.Command.ABORT);
                    return;
                }
                Duration left = Duration.between(clock.instant(), wait.until());
                pause(left.compareTo(afterSwitchInterval) < 0 ? left : afterSwitchInterval);
            } else if (next instanceof WarmWindow.SwitchBack back) {
                progress.accept(back.reason());
                run.afterSwitchDecided = true;
                run.seen = Observation.gate(GateDecision.Outcome.ROLLBACK, back.reason());
                return;
            } else if (next instanceof WarmWindow.Keep keep) {
                progress.accept("warm window over: " + keep.reason());
                run.afterSwitchDecided = true;
                return;
            } else {
                throw new AssertionError(next);
            }
        }
    }

    /**
     * Watches the new version while the rollout waits (pauses, gates, the warm window): pods that stop
     * working after it was ready — a crash loop, an image pull error, the controller's deadline — are
     * reported to the engine with the pod's reason at once, not left to the gate. False while the new
     * version has no pods or just is not ready yet.
     */
    private boolean reportIfBroken(Run run) throws IOException, InterruptedException {
        if (cluster.replicas(workloads.next()) == 0) {
            return false;
        }
        try {
            cluster.isReady(workloads.next());
            return false;
        } catch (Cluster.WorkloadFailedException e) {
            progress.accept("the new version stopped working: " + e.getMessage());
            run.seen = Observation.workloadFailed(e.getMessage());
            return true;
        }
    }

    /** Scales the workload to 0 unless it is there already (the replica-ratio router's 0% did it): no needless write. */
    private void scaleToZero(ObjectKey workload, String what) throws IOException, InterruptedException {
        if (cluster.replicas(workload) == 0) {
            progress.accept(what + workload + " is already at 0 replicas");
            return;
        }
        cluster.scale(workload, 0);
        progress.accept(what + "scaled " + workload + " to 0");
    }

    /** Scales the workload up to {@code replicas} if it has fewer, then waits until it is ready. */
    private Optional<String> scaleUpAndWait(ObjectKey workload, int replicas, Duration deadline)
            throws IOException, InterruptedException {
        if (cluster.replicas(workload) < replicas) {
            cluster.scale(workload, replicas);
            progress.accept("scaled " + workload + " to " + replicas);
        }
        return waitReady(workload, deadline);
    }

    /** Empty when ready; else why it will not be (the pod's reason, or the deadline). */
    private Optional<String> waitReady(ObjectKey workload, Duration deadline) throws IOException, InterruptedException {
        return Readiness.await(cluster, workload, deadline, clock, this::pause);
    }
}
