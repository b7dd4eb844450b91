package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.ObjectKey;
import java.util.List;

/** How one object differs between live and target. */
public sealed interface ObjectChange {

    ObjectKey key();

    /** In the target, missing live. */
    record Added(ObjectKey key) implements ObjectChange {
    }

    /** Live, not in the target. */
    record Removed(ObjectKey key) implements ObjectChange {
    }

    /** In both, with different content. */
    record Changed(ObjectKey key, List<FieldChange> fields) implements ObjectChange {
        public Changed {
            fields = List.copyOf(fields);
        }
    }
}
