package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;

/**
 * Turns the release's flags off before traffic goes back to stable: a rollout writes "no canary" only
 * when it aborts or a gate rolls it back (and {@code Deployment.stop} through its stoppable router), so
 * that write is where the kill switch goes first.
 */
final class KillSwitchRouter implements TrafficRouter {

    private final TrafficRouter router;
    private final FlagSwitch flags;
    private final Progress progress;

    KillSwitchRouter(TrafficRouter router, FlagSwitch flags, Progress progress) {
        this.router = router;
        this.flags = flags;
        this.progress = progress;
    }

    @Override
    public void setCanaryWeight(Weight canary) throws IOException, InterruptedException {
        if (canary.equals(Weight.NONE)) {
            flags.turnOff(progress);
        }
        router.setCanaryWeight(canary);
    }

    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        return router.canaryWeight();
    }
}
