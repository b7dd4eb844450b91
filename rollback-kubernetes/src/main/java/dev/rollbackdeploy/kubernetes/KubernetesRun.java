package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.rollout.Decision;
import dev.rollbackdeploy.rollout.Intent;
import dev.rollbackdeploy.rollout.Observation;
import dev.rollbackdeploy.rollout.Phase;
import dev.rollbackdeploy.rollout.Progression;
import dev.rollbackdeploy.rollout.RolloutSpec;
import dev.rollbackdeploy.rollout.WarmWindow;
import dev.rollbackdeploy.traffic.TrafficGuard;
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
 * A rollout on Kubernetes one bounded round at a time, the form of {@link KubernetesRollout} that never
 * sleeps (as {@code VmRun} is for VMs): {@link #advance} carries out the engine's intents until one must
 * wait — a readiness poll is one round that says "call again in a second" — and returns the new
 * {@link KubernetesRunState} and when to call again. A Jenkins step persists the state between rounds and
 * resumes in a fresh object; {@link KubernetesRollout} is the blocking loop over it.
 *
 * <p>What each intent does is documented on {@link KubernetesRollout}. Resuming from a persisted state
 * repeats no write the state records as done: an intent is dropped from the state once carried out, a
 * half-done one says how far it got (scaled and waiting for readiness; weight written, waiting for pods;
 * gate look due), and every write reads first (scaling, switching, finishing a promotion).
 */
public final class KubernetesRun {

    /** The state after a round, and when to call again (null: the rollout is over). */
    public record Round(KubernetesRunState state, Instant callAgainAt) {
        public boolean finished() {
            return callAgainAt == null;
        }
    }

    /** Engine decisions per round at most: a round is bounded even if a bug made the engine loop. */
    private static final int DECISIONS_PER_ROUND = 64;

    private final RolloutSpec spec;
    private final KubernetesCluster cluster;
    private final KubernetesRollout.Workloads workloads;
    private final TrafficRouter router;
    private final ServiceSwitch services;
    private final KubernetesRollout.Gate gate;
    private final KubernetesRollout.Gate afterSwitch;
    private final Duration afterSwitchInterval;
    private final Consumer<String> progress;
    private final RunWrites writes;
    private Duration gateInterval = Duration.ZERO;
    private KubernetesRollout.Commands commands = KubernetesRollout.Commands.none();
    private CanaryPromotion promotion;
    private LeaseLock lease;
    private Duration renewEvery;
    private Instant renewedAt;

    private KubernetesRun(RolloutSpec spec, KubernetesCluster cluster, KubernetesRollout.Workloads workloads,
            TrafficRouter router, ServiceSwitch services, KubernetesRollout.Gate gate, KubernetesRollout.Gate afterSwitch,
            Duration afterSwitchInterval, Consumer<String> progress) {
        if ((spec.strategy() == RolloutSpec.Strategy.BLUE_GREEN) != (services != null)) {
            throw new IllegalArgumentException("a " + spec.strategy() + " rollout needs "
                    + (services != null ? "a canary shell (a traffic router)" : "a blue-green shell (a Service switch)"));
        }
        this.spec = spec;
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.router = router;
        this.services = services;
        this.gate = gate;
        this.afterSwitch = afterSwitch;
        this.afterSwitchInterval = afterSwitchInterval;
        this.progress = Objects.requireNonNull(progress, "progress");
        this.writes = new RunWrites(spec, cluster, workloads, router, services, progress);
    }

    /** A canary whose traffic the router splits; {@code gate} answers the rollout's Gate steps. */
    public static KubernetesRun canary(RolloutSpec spec, KubernetesCluster cluster, KubernetesRollout.Workloads workloads,
            TrafficRouter router, KubernetesRollout.Gate gate, Consumer<String> progress) {
        return new KubernetesRun(spec, cluster, workloads, Objects.requireNonNull(router, "router"), null, gate, null, null,
                progress);
    }

    /** Blue-green through a Service switch; {@code afterSwitch} is asked every {@code interval} in the warm window. */
    public static KubernetesRun blueGreen(RolloutSpec spec, KubernetesCluster cluster, KubernetesRollout.Workloads workloads,
            ServiceSwitch services, KubernetesRollout.Gate preview, KubernetesRollout.Gate afterSwitch, Duration interval,
            Consumer<String> progress) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("after-switch interval must be positive, got " + interval);
        }
        return new KubernetesRun(spec, cluster, workloads, null, Objects.requireNonNull(services, "services"), preview,
                Objects.requireNonNull(afterSwitch, "afterSwitch"), interval, progress);
    }

    /** Where a person's promote or abort comes from; polled while the rollout waits. */
    public KubernetesRun withCommands(KubernetesRollout.Commands source) {
        this.commands = Objects.requireNonNull(source, "commands");
        return this;
    }

    /**
     * Asked just before traffic goes back to stable — an abort's "canary at 0", blue-green's switch back —
     * and never before a promotion's writes (a promoted canary's finish also ends with the canary at 0):
     * a release's kill switch turns its flags off there, and may replace moving traffic, in which case the
     * canary also keeps its pods.
     */
    public KubernetesRun guardedBy(TrafficGuard guard) {
        writes.guard(Objects.requireNonNull(guard, "guard"));
        return this;
    }

    /**
     * A gate step's look is taken {@code interval} after the step asks for it (the front door's gates
     * need a scrape or two of data; one look per interval): zero (the default) looks at once.
     */
    public KubernetesRun withGateInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("gate interval must be zero or positive, got " + interval);
        }
        this.gateInterval = interval;
        return this;
    }

    /**
     * The target's lease, acquired by the caller: renewed at the start of a round once {@code renewEvery}
     * passed since {@code renewedAt} (null: at the first round, as a fresh object after a restart must).
     * Losing it stops the run before any write with an {@link IOException}.
     */
    public KubernetesRun holding(LeaseLock heldLease, Duration renewEvery, Instant renewedAt) {
        if (renewEvery == null || renewEvery.isNegative() || renewEvery.isZero()) {
            throw new IllegalArgumentException("lease renewal interval must be positive, got " + renewEvery);
        }
        this.lease = Objects.requireNonNull(heldLease, "lease");
        this.renewEvery = renewEvery;
        this.renewedAt = renewedAt;
        return this;
    }

    /**
     * A canary that reaches 100% is then finished by {@link CanaryPromotion} (stable onto the release's
     * template, traffic back to it, canary to 0), round by round.
     *
     * @throws IllegalArgumentException the release does not fit the workloads and router (nothing written)
     */
    public KubernetesRun finishingPromotionOf(ManifestSet release) {
        if (router == null) {
            throw new IllegalArgumentException("finishing a promotion is for canaries; blue-green switches Services");
        }
        this.promotion = new CanaryPromotion(cluster, workloads, router, release, spec.progressDeadline(),
                spec.scaleDownDelay(), Clock.systemUTC(), (Readiness.Pause) d -> {
                    throw new IllegalStateException("a round never sleeps");
                }, progress);
        return this;
    }

    /**
     * One round at {@code now}: nothing before the state's wake time, else the intents until one must wait.
     *
     * @throws IOException traffic could not be put back on stable after {@link KubernetesRollout#TRAFFIC_BACK_ATTEMPTS}
     *                     attempts (the split is unknown), the lease was lost, or the API server failed a call
     */
    public Round advance(KubernetesRunState state, Instant now) throws IOException, InterruptedException {
        if (state.finished()) {
            return new Round(state, null);
        }
        if (state.wakeAt() != null && now.isBefore(state.wakeAt())) {
            return new Round(state, state.wakeAt());
        }
        renewLease(now);
        RunWork w = new RunWork(state);
        if (services != null && !w.previewChecked) {
            // The preview must be up before anything else: a broken preview aborts with nothing switched.
            Readiness.Poll poll = writes.scaleUpAndPoll(w, workloads.next(), workloads.nextReplicas(), now);
            if (poll instanceof Readiness.Poll.NotYet) {
                return round(w, now.plus(KubernetesRollout.POLL));
            }
            w.seen = poll instanceof Readiness.Poll.Broken broken ? Observation.workloadFailed(broken.reason())
                    : Observation.started();
            w.previewChecked = true;
            w.readyBy = null;
        }
        for (int i = 0; i < DECISIONS_PER_ROUND; i++) {
            if (w.pending.isEmpty()) {
                if (Progression.isFinished(spec, w.rollout)) {
                    return finish(w, now);
                }
                Decision decision = Progression.next(spec, w.rollout, w.seen, now);
                w.rollout = decision.state();
                w.seen = Observation.done();
                w.pending.addAll(decision.intents());
            }
            while (!w.pending.isEmpty()) {
                RunStep step = carryOut(w, w.pending.get(0), now);
                if (step.wakeAt() != null) {
                    w.headStarted = !w.pending.isEmpty();
                    return round(w, step.wakeAt());
                }
                if (step.goOn()) {
                    w.headDone();
                } else {
                    w.dropDecision();
                }
            }
        }
        return round(w, now);
    }

    private static Round round(RunWork w, Instant at) {
        return new Round(w.freeze(at), at);
    }

    /** The rollout is over; a promoted canary is finished first when a release was given. */
    private Round finish(RunWork w, Instant now) throws IOException, InterruptedException {
        if (w.rollout.phase() == Phase.PROMOTED && promotion != null && w.promoted == null) {
            CanaryPromotion.Step step = promotion.advance(w.promotion == null ? CanaryPromotion.Progress.start()
                    : w.promotion, now);
            w.promotion = step.progress();
            if (step.finished() == null) {
                return round(w, step.callAgainAt());
            }
            w.promoted = step.finished();
        }
        w.finished = true;
        return new Round(w.freeze(null), null);
    }

    private RunStep carryOut(RunWork w, Intent intent, Instant now) throws IOException, InterruptedException {
        if (intent instanceof Intent.EnsureStableReady) {
            Readiness.Poll poll = writes.scaleUpAndPoll(w, workloads.stable(), workloads.stableReplicas(), now);
            if (poll instanceof Readiness.Poll.NotYet) {
                return RunStep.waitUntil(now.plus(KubernetesRollout.POLL));
            }
            if (poll instanceof Readiness.Poll.Broken broken) {
                progress.accept("stable is not ready (" + broken.reason() + "); moving traffic to it anyway: it is the"
                        + " version that worked");
            }
            return RunStep.NEXT;
        } else if (intent instanceof Intent.SetCanaryWeight set) {
            return writes.setWeight(w, set.weight(), now);
        } else if (intent instanceof Intent.ScaleDownCanary) {
            Weight kept = writes.guard() == TrafficGuard.NONE || router == null ? Weight.NONE : router.canaryWeight();
            if (kept.equals(Weight.NONE)) {
                writes.scaleToZero(workloads.next(), "");
            } else {
                // The guard left traffic on the canary: scaling it down now would send those requests nowhere.
                progress.accept(workloads.next() + " keeps its pods: it still carries " + kept + " of new requests");
            }
        } else if (intent instanceof Intent.SwitchActive to) {
            return writes.switchActive(w, to.to(), now);
        } else if (intent instanceof Intent.ScaleDownPrevious) {
            writes.scaleToZero(workloads.stable(), "warm window over: the previous version ");
        } else if (intent instanceof Intent.RunGate step) {
            return runGate(w, step.name(), now);
        } else if (intent instanceof Intent.WaitUntil wait) {
            if (w.rollout.phase() == Phase.PROMOTED && afterSwitch != null && !w.afterSwitchDecided && wait.until() != null) {
                return warmWindow(w, wait.until(), now);
            }
            return waitForTimeOrPerson(w, wait.until(), now);
        } else if (intent instanceof Intent.Done done) {
            progress.accept("rollout " + done.outcome() + ": " + done.reason());
        } else {
            throw new IllegalStateException("a Kubernetes rollout run cannot carry out " + intent
                    + "; restoring the previous record is the caller's (RestorePreparation + PlanExecutor)");
        }
        return RunStep.NEXT;
    }

    private RunStep runGate(RunWork w, String name, Instant now) throws IOException, InterruptedException {
        if (!gateInterval.isZero()) {
            if (w.gateAt == null) {
                w.gateAt = now.plus(gateInterval);
            }
            if (now.isBefore(w.gateAt)) {
                return RunStep.waitUntil(w.gateAt);
            }
        }
        if (reportIfBroken(w)) {
            return RunStep.BREAK;
        }
        KubernetesRollout.Answer answer = Objects.requireNonNull(gate, "this rollout has Gate steps but no gate").look(name);
        progress.accept("gate " + name + ": " + answer.outcome() + " — " + answer.reason());
        w.seen = Observation.gate(answer.outcome(), answer.reason());
        return RunStep.NEXT;
    }

    /** Until {@code until} (a person when null), hearing broken pods and a person's command once a poll. */
    private RunStep waitForTimeOrPerson(RunWork w, Instant until, Instant now) throws IOException, InterruptedException {
        if (until == null && !w.headStarted) {
            progress.accept("paused until a person promotes or aborts");
        }
        // A rollout under way can be promoted or aborted; a promoted blue-green (warm window) only rolled
        // back; an abort under way is not asked again.
        boolean listening = w.rollout.phase() == Phase.PAUSED || w.rollout.phase() == Phase.PROGRESSING;
        boolean warm = w.rollout.phase() == Phase.PROMOTED;
        if (until == null && !listening) {
            throw new IllegalStateException("waiting for a person in phase " + w.rollout.phase());
        }
        if (until != null && !now.isBefore(until)) {
            return RunStep.NEXT;
        }
        if ((listening || warm) && reportIfBroken(w)) {
            return RunStep.BREAK;
        }
        Optional<Observation.Command> command = listening || warm ? commands.poll() : Optional.empty();
        if (warm && command.isPresent() && command.get() != Observation.Command.ABORT) {
            command = Optional.empty();
        }
        if (command.isPresent()) {
            progress.accept("a person asked to " + command.get().name().toLowerCase(java.util.Locale.ROOT));
            w.seen = Observation.command(command.get());
            return RunStep.BREAK;
        }
        Duration left = until == null ? KubernetesRollout.POLL : Duration.between(now, until);
        return RunStep.waitUntil(now.plus(left.compareTo(KubernetesRollout.POLL) < 0 ? left : KubernetesRollout.POLL));
    }

    /**
     * The warm window through the engine's {@link WarmWindow} (shared with the VM shell): the
     * after-switch gate is asked every interval for the whole window, and any failing look switches
     * back (issue 9 item 3); between looks, broken pods and a person's abort are heard at once.
     */
    private RunStep warmWindow(RunWork w, Instant windowEnd, Instant now) throws IOException, InterruptedException {
        if (w.window == null) {
            w.window = WarmWindow.open(now, windowEnd, afterSwitchInterval);
        }
        while (true) {
            WarmWindow.Next next = w.window.next(now);
            if (next instanceof WarmWindow.Look) {
                KubernetesRollout.Answer answer = afterSwitch.look("after-switch");
                if (answer.outcome() != GateDecision.Outcome.HOLD) {
                    progress.accept("gate after-switch: " + answer.outcome() + " — " + answer.reason());
                }
                w.window = w.window.afterLook(answer.outcome(), answer.reason(), now);
            } else if (next instanceof WarmWindow.WaitUntil wait) {
                if (reportIfBroken(w)) {
                    return windowDecided(w);
                }
                if (commands.poll().filter(c -> c == Observation.Command.ABORT).isPresent()) {
                    progress.accept("a person asked to roll back inside the warm window");
                    w.seen = Observation.command(Observation.Command.ABORT);
                    return windowDecided(w);
                }
                Duration left = Duration.between(now, wait.until());
                return RunStep.waitUntil(now.plus(left.compareTo(afterSwitchInterval) < 0 ? left : afterSwitchInterval));
            } else if (next instanceof WarmWindow.SwitchBack back) {
                progress.accept(back.reason());
                w.seen = Observation.gate(GateDecision.Outcome.ROLLBACK, back.reason());
                return windowDecided(w);
            } else if (next instanceof WarmWindow.Keep keep) {
                progress.accept("warm window over: " + keep.reason());
                return windowDecided(w);
            } else {
                throw new AssertionError(next);
            }
        }
    }

    private static RunStep windowDecided(RunWork w) {
        w.afterSwitchDecided = true;
        w.window = null;
        return RunStep.NEXT;
    }

    /**
     * Pods of the new version that stopped working (a crash loop, an image pull error, the controller's
     * deadline) are reported to the engine with the pod's reason at once, not left to the gate. False
     * while the new version has no pods or just is not ready yet.
     */
    private boolean reportIfBroken(RunWork w) throws IOException, InterruptedException {
        if (cluster.replicas(workloads.next()) == 0) {
            return false;
        }
        try {
            cluster.isReady(workloads.next());
            return false;
        } catch (Cluster.WorkloadFailedException e) {
            progress.accept("the new version stopped working: " + e.getMessage());
            w.seen = Observation.workloadFailed(e.getMessage());
            return true;
        }
    }

    private void renewLease(Instant now) throws IOException, InterruptedException {
        if (lease != null && (renewedAt == null || !now.isBefore(renewedAt.plus(renewEvery)))) {
            try {
                lease.renew();
                renewedAt = now;
            } catch (TargetLockedException e) {
                throw new IOException("lost the lock of the target, stopping without another write: " + e.getMessage(), e);
            }
        }
    }
}
