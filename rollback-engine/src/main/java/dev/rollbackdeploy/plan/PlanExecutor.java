package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.traffic.TrafficRouter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Runs a {@link Plan} against the ports, one action per call, so that the caller owns the loop: the
 * CLI calls {@link #begin}, then {@link #step} until done; a Jenkins step persists the {@link Progress} and calls again
 * from a timer or after a controller restart. Since every action is idempotent, repeating the action
 * that was under way when a controller died is safe.
 */
public final class PlanExecutor {

    private final Cluster cluster;
    private final TrafficRouter router;
    private final Duration readyTimeout;

    /**
     * @param router       may be null for targets without a traffic split; a plan that sets a weight then fails
     * @param readyTimeout how long a workload may take to become ready before the restore fails
     */
    public PlanExecutor(Cluster cluster, TrafficRouter router, Duration readyTimeout) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.router = router;
        this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
    }

    /**
     * Where a run of a plan is: the index of the next action, and since when the current readiness
     * wait has been waiting (null when not waiting). Plain fields, cheap to persist.
     */
    public record Progress(int next, Instant waitingSince) {
        public static final Progress START = new Progress(0, null);

        public Progress {
            if (next < 0) {
                throw new IllegalArgumentException("next action index must be 0 or more, got " + next);
            }
        }

        public boolean isDone(Plan plan) {
            return next >= plan.actions().size();
        }
    }

    /** What to do after one call of {@link #step}. */
    public record Outcome(Progress progress, boolean wrote, Duration callAgainIn) {
    }

    /**
     * Checks the plan may run and gives the progress to start from. Call it before any loop: a refused
     * plan can have no actions at all, and must not look "done".
     *
     * @throws PlanRefusedException the plan has refusals and must not run
     */
    public Progress begin(Plan plan) throws PlanRefusedException {
        plan.requireExecutable();
        return Progress.START;
    }

    /**
     * Runs the next action (or checks readiness once) and says when to call again.
     *
     * @throws PlanRefusedException         the plan has refusals and must not run
     * @throws Cluster.WorkloadFailedException a workload cannot become ready, or took longer than the timeout
     * @throws IOException                  a port call failed; calling again with the same progress retries it
     */
    public Outcome step(Plan plan, Progress progress, Instant now)
            throws PlanRefusedException, Cluster.WorkloadFailedException, IOException, InterruptedException {
        plan.requireExecutable();
        if (progress.isDone(plan)) {
            return new Outcome(progress, false, Duration.ZERO);
        }
        Action action = plan.actions().get(progress.next());
        Progress advanced = new Progress(progress.next() + 1, null);
        if (action instanceof Action.Apply apply) {
            cluster.apply(apply.object());
        } else if (action instanceof Action.Delete delete) {
            cluster.delete(delete.object());
        } else if (action instanceof Action.Scale scale) {
            cluster.scale(scale.workload(), scale.replicas());
        } else if (action instanceof Action.SetTrafficWeight weight) {
            if (router == null) {
                throw new IOException("the plan sets traffic to " + weight.canary() + " but this target has no traffic router");
            }
            router.setCanaryWeight(weight.canary());
        } else if (action instanceof Action.WaitReady wait) {
            return awaitReady(wait, progress, advanced, now);
        } else {
            throw new AssertionError(action);
        }
        return new Outcome(advanced, true, Duration.ZERO);
    }

    private Outcome awaitReady(Action.WaitReady wait, Progress progress, Progress advanced, Instant now)
            throws Cluster.WorkloadFailedException, IOException, InterruptedException {
        if (cluster.isReady(wait.workload())) {
            return new Outcome(advanced, false, Duration.ZERO);
        }
        Instant since = progress.waitingSince() == null ? now : progress.waitingSince();
        if (Duration.between(since, now).compareTo(readyTimeout) >= 0) {
            throw new Cluster.WorkloadFailedException(wait.workload(), "not ready after " + readyTimeout.toSeconds() + " s");
        }
        return new Outcome(new Progress(progress.next(), since), false, Duration.ofSeconds(1));
    }
}
