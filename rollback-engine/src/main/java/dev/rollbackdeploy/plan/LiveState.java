package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.traffic.Weight;
import java.util.Optional;

/**
 * What a target runs now, as an adapter observed it: the objects this product manages, in the same
 * canonical form as a record's (so hashes compare), and the canary share of traffic when known.
 *
 * @param objects        live managed objects, canonicalised
 * @param canaryWeight   share of traffic on a canary, or empty when the target has no traffic split
 */
public record LiveState(ManifestSet objects, Optional<Weight> canaryWeight) {

    public LiveState {
        if (objects == null || canaryWeight == null) {
            throw new IllegalArgumentException("live state needs objects and an (optional) canary weight, got null");
        }
    }

    public static LiveState of(ManifestSet objects) {
        return new LiveState(objects, Optional.empty());
    }
}
