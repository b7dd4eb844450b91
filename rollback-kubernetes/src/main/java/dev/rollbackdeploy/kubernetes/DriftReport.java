package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.ReleaseDiff;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.traffic.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is live on a target against a deployment record: in sync, or which objects and fields differ
 * (someone ran {@code kubectl edit} or {@code kubectl set image} between builds) and whether traffic
 * is off stable. "In sync" means exactly what a restore means by it: the engine's
 * {@link RestorePlanner} finds nothing to do, so drift reported here is what a restore of the record
 * repairs. Uses engine types only, so it serves any {@code Cluster} (an HAProxy target too:
 * {@code compare(ref, record.manifests(), haproxyCluster.observe())}).
 *
 * @param against      the record compared with, e.g. {@code team/shop#42}
 * @param objects      objects added, missing or changed, with field-level changes (Secret values hidden)
 * @param canaryWeight the canary's share of traffic live, when the target has a split
 * @param notes        what else a person should know (who else wrote the objects, what a restore would refuse)
 */
public record DriftReport(String against, ReleaseDiff objects, Optional<Weight> canaryWeight, List<String> notes) {

    public DriftReport {
        Objects.requireNonNull(against, "against");
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(canaryWeight, "canaryWeight");
        notes = List.copyOf(notes);
    }

    /** The comparison a restore makes, without restoring: pure. */
    public static DriftReport compare(String against, ManifestSet recorded, LiveState live) {
        Plan plan = new RestorePlanner().plan(recorded, live, RestoreOptions.SAFE);
        List<String> notes = new ArrayList<>();
        plan.refusals().forEach(r -> notes.add("a restore would need more than a plain apply: " + r));
        return new DriftReport(against, plan.diff(), live.canaryWeight(), notes);
    }

    /** Nothing differs and no traffic is on a canary: a restore of the record would write nothing. */
    public boolean inSync() {
        return objects.isEmpty() && canaryWeight.map(w -> w.percent() == 0).orElse(true);
    }

    /** Plain text for people: the verdict first, then what differs (live -> recorded). */
    public String render() {
        if (inSync()) {
            return "in sync: live matches the record of " + against + "\n";
        }
        StringBuilder out = new StringBuilder("DRIFT: live differs from the record of " + against + " (live -> recorded)\n");
        canaryWeight.filter(w -> w.percent() != 0).ifPresent(w -> out.append("Traffic: the canary gets ").append(w)
                .append(" (recorded: 0%)\n"));
        if (!objects.isEmpty()) {
            out.append(objects.render());
        }
        notes.forEach(n -> out.append("Note: ").append(n).append('\n'));
        out.append("A restore of ").append(against).append(" puts the recorded state back.\n");
        return out.toString();
    }
}
