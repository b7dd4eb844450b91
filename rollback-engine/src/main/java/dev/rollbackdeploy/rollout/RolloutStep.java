package dev.rollbackdeploy.rollout;

import dev.rollbackdeploy.traffic.Weight;
import java.time.Duration;

/** One step of a rollout, as the user writes it. */
public sealed interface RolloutStep {

    /** Send this share of new requests to the canary (canary strategy only). */
    record SetWeight(Weight weight) implements RolloutStep {
        public SetWeight {
            if (weight == null) {
                throw new IllegalArgumentException("setWeight needs a weight, got null");
            }
        }
    }

    /** Hold the current weight for this long. */
    record Pause(Duration duration) implements RolloutStep {
        public Pause {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("pause duration must be positive, got " + duration);
            }
        }
    }

    /** Hold until a person promotes (or aborts). */
    record PauseUntilPromoted() implements RolloutStep {
    }

    /** Ask the metrics gate; ROLLBACK aborts, HOLD past {@code maxDuration} aborts (the safe side). */
    record Gate(String name, Duration maxDuration) implements RolloutStep {
        public Gate {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("gate step needs the gate's name, got '" + name + "'");
            }
            if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
                throw new IllegalArgumentException("gate " + name + " maxDuration must be positive, got " + maxDuration);
            }
        }
    }
}
