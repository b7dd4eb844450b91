package dev.rollbackdeploy.traffic;

import java.io.IOException;

/**
 * Whatever splits requests between the stable and the canary version of one target: Gateway API
 * route weights, a replica ratio, HAProxy server weights.
 *
 * <p>{@link #setCanaryWeight} is idempotent: setting the weight already in force changes nothing and
 * makes no write where the implementation can tell. It returns only once the change is confirmed
 * (read back), so "safe" is never reported on an unconfirmed write.
 */
public interface TrafficRouter {

    /**
     * Sends this share of new requests to the canary and the rest to stable, and confirms it.
     *
     * @throws IOException          the router could not be reached or did not confirm; the weight in
     *                              force is then unknown and the caller must re-read it
     * @throws InterruptedException the wait for confirmation was interrupted (the interrupt is kept)
     */
    void setCanaryWeight(Weight canary) throws IOException, InterruptedException;

    /**
     * The canary share in force now, as read from the router.
     *
     * @throws IOException the router could not be reached or answered something unreadable
     */
    Weight canaryWeight() throws IOException, InterruptedException;
}
