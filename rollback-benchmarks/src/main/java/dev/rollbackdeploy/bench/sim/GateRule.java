package dev.rollbackdeploy.bench.sim;

import java.util.SplittableRandom;

/** A rollout rule fed the same ticks as every other rule; one fresh instance per simulated rollout. */
public interface GateRule {

    enum Call { CONTINUE, ROLLBACK, PROMOTE }

    /** This tick's traffic in, a call out. {@code random} is only for rules that must thin a tick. */
    Call observe(Tick tick, SplittableRandom random);

    /** Canary requests the rule had seen when it decided (a fixed-horizon test sees exactly n). */
    long requestsSeen();
}
