package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.traffic.TrafficRouter;
import java.time.Duration;
import java.time.Instant;

/** Drives a restore the way the CLI does: plan, then step until done, letting the fake controllers run between waits. */
final class Restores {

    private Restores() {
    }

    static Plan restore(ManifestSet target, Cluster cluster, FakeControllers controllers) throws Exception {
        return restore(target, cluster, null, controllers);
    }

    static Plan restore(ManifestSet target, Cluster cluster, TrafficRouter router, FakeControllers controllers)
            throws Exception {
        return run(new RestorePlanner().plan(target, cluster.observe(), RestoreOptions.SAFE), cluster, router, controllers);
    }

    /** Runs a plan made elsewhere (e.g. by a restore preparation) to the end. */
    static Plan run(Plan plan, Cluster cluster, TrafficRouter router, FakeControllers controllers) throws Exception {
        PlanExecutor executor = new PlanExecutor(cluster, router, Duration.ofMinutes(5));
        PlanExecutor.Progress progress = executor.begin(plan);
        Instant now = Instant.parse("2026-11-23T03:00:00Z");
        for (int steps = 0; !progress.isDone(plan); steps++) {
            if (steps > 100) {
                throw new AssertionError("restore did not finish in 100 steps: " + plan.render());
            }
            PlanExecutor.Outcome outcome = executor.step(plan, progress, now);
            if (!outcome.callAgainIn().isZero()) {
                controllers.settle();
                now = now.plus(outcome.callAgainIn());
            }
            progress = outcome.progress();
        }
        return plan;
    }
}
