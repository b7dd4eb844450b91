package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.haproxy.RuntimeApi;
import dev.rollbackdeploy.haproxy.RuntimeApiClient;
import java.io.IOException;
import java.time.Duration;

/** The traffic router over a spec's load balancers, and the check every deployment makes before its first write. */
public final class VmTargets {

    /** Per-call timeout of a load balancer's runtime API. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private VmTargets() {
    }

    /** The router over every load balancer of the spec; nothing is asked yet. */
    public static HAProxyTrafficRouter router(DeploymentSpec spec) {
        return new HAProxyTrafficRouter(spec.haproxy().backend(), spec.haproxy().sockets().stream()
                .map(s -> (RuntimeApi) new RuntimeApiClient(s, TIMEOUT)).toList());
    }

    /**
     * Checks on every load balancer that the backend balances by weight, has every server of the spec,
     * and none is in drain or maintenance. Reads only.
     *
     * @throws OperationException INFRASTRUCTURE when a load balancer cannot be asked, INVALID when one is
     *                            configured wrongly; nothing was changed either way
     */
    public static HAProxyTrafficRouter validated(DeploymentSpec spec) throws OperationException, InterruptedException {
        HAProxyTrafficRouter router = router(spec);
        try {
            router.validate();
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot reach HAProxy: " + e.getMessage()
                    + "; nothing was changed", e);
        } catch (IllegalStateException e) {
            throw new OperationException(OperationException.Kind.INVALID, e.getMessage() + "; nothing was changed", e);
        }
        return router;
    }
}
