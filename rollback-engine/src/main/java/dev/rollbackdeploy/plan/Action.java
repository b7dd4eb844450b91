package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.Weight;

/**
 * One small step of a {@link Plan}. Executors run them in order and stop at the first failure; every
 * action is idempotent, so re-running a partly executed plan converges.
 */
public sealed interface Action {

    /** A line a person reads on the confirmation page or in the CLI. */
    String describe();

    /** Create or update the object to exactly this canonical content (server-side apply). */
    record Apply(CanonicalObject object) implements Action {
        @Override
        public String describe() {
            return "apply " + object.key() + " (" + object.hash() + ")";
        }
    }

    /** Change only the replica count: one small write instead of a whole apply. */
    record Scale(ObjectKey workload, int replicas) implements Action {
        public Scale {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas of " + workload + " must be 0 or more, got " + replicas);
            }
        }

        @Override
        public String describe() {
            return "scale " + workload + " to " + replicas;
        }
    }

    /** Wait until the workload reports its new template rolled out and ready. */
    record WaitReady(ObjectKey workload) implements Action {
        @Override
        public String describe() {
            return "wait until " + workload + " is ready";
        }
    }

    /** Send this share of new requests to the canary, the rest to stable. */
    record SetTrafficWeight(Weight canary) implements Action {
        @Override
        public String describe() {
            return "set canary traffic to " + canary + " (stable " + canary.complement() + ")";
        }
    }

    /** Delete an object: only planned when the user asked to prune, or to recreate one. */
    record Delete(ObjectKey object, String why) implements Action {
        @Override
        public String describe() {
            return "delete " + object + " (" + why + ")";
        }
    }
}
