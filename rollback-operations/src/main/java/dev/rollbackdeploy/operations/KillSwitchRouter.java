package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.traffic.TrafficGuard;
import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;

/**
 * A {@link TrafficGuard} (the release's kill switch) on a VM rollout's router: a VM rollout writes "no
 * canary" only when it aborts, a gate rolls it back or blue-green switches back (and {@code Deployment.stop}
 * through its stoppable router) — its promotion writes "all canary" — so that write is where the guard is
 * asked first. When the guard replaces moving traffic the write is left out and the split stays as it is;
 * the rollout reads the weight back and says so. Kubernetes runs ask the guard themselves, because a
 * canary's promotion there also ends with "no canary" on the rolled stable.
 */
final class KillSwitchRouter implements TrafficRouter {

    private final TrafficRouter router;
    private final TrafficGuard guard;

    KillSwitchRouter(TrafficRouter router, TrafficGuard guard) {
        this.router = router;
        this.guard = guard;
    }

    @Override
    public void setCanaryWeight(Weight canary) throws IOException, InterruptedException {
        if (canary.equals(Weight.NONE) && !guard.beforeTrafficBack(false)) {
            return;
        }
        router.setCanaryWeight(canary);
    }

    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        return router.canaryWeight();
    }
}
