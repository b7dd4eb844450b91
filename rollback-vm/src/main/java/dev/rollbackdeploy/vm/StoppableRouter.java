package dev.rollbackdeploy.vm;

import dev.rollbackdeploy.traffic.TrafficRouter;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;

/**
 * A router that can be stopped from another thread (a shutdown hook on Ctrl-C or SIGTERM): stopping
 * puts all new requests back on stable, and from then on every write but "back to stable" is refused,
 * so a rollout still running cannot move traffic off stable again. Writes are serialized, so the stop
 * never interleaves with a write under way.
 */
public final class StoppableRouter implements TrafficRouter {

    /** Attempts of the stop's write, one a second. */
    static final int STOP_ATTEMPTS = 5;

    private final TrafficRouter router;
    private boolean stopped;

    public StoppableRouter(TrafficRouter router) {
        this.router = router;
    }

    @Override
    public synchronized void setCanaryWeight(Weight canary) throws IOException, InterruptedException {
        if (stopped && !canary.equals(Weight.NONE)) {
            throw new IOException("stopping: traffic was put back on stable and stays there; canary " + canary + " refused");
        }
        router.setCanaryWeight(canary);
    }

    @Override
    public Weight canaryWeight() throws IOException, InterruptedException {
        return router.canaryWeight();
    }

    /**
     * Puts traffic back on stable and refuses any other write from now on.
     *
     * @throws IOException the last attempt's failure: the traffic split is unknown
     */
    public synchronized void stopOnStable() throws IOException, InterruptedException {
        stopped = true;
        IOException last = null;
        for (int attempt = 1; attempt <= STOP_ATTEMPTS; attempt++) {
            try {
                router.setCanaryWeight(Weight.NONE);
                return;
            } catch (IOException e) {
                last = e;
                if (attempt < STOP_ATTEMPTS) {
                    Thread.sleep(1000);
                }
            }
        }
        throw last;
    }

    public synchronized boolean stopped() {
        return stopped;
    }
}
