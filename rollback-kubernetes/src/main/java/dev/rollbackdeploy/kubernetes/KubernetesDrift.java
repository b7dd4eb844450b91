package dev.rollbackdeploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.FieldChange;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.plan.ObjectChange;
import dev.rollbackdeploy.plan.ReleaseDiff;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Drift of a Kubernetes target from a record. Which objects differ is decided exactly as a restore
 * decides it ({@link KubernetesCluster#observe()}: the fields our field manager owns; server
 * defaults and other controllers' fields are ignored), so every drift reported is one a restore
 * repairs and "in sync" means a restore writes nothing. For each object that differs, the fields
 * are shown with the values live now ({@link RecordedPaths}) and the other field managers that wrote
 * the object are named ({@code kubectl-edit}, {@code kubectl-set}, ...). Reads only: one list per
 * supported kind, plus one read per drifted object.
 */
public final class KubernetesDrift {

    private KubernetesDrift() {
    }

    /**
     * @param cluster  the target; with {@link KubernetesCluster#withTrafficRouter} the canary's share is checked too
     * @param against  the record's name for messages, e.g. {@code team/shop#42}
     * @param recorded the record's manifests
     */
    public static DriftReport check(KubernetesCluster cluster, String against, ManifestSet recorded)
            throws IOException, InterruptedException {
        LiveState live = cluster.observe();
        DriftReport base = DriftReport.compare(against, recorded, live);
        List<ObjectChange> objects = new ArrayList<>();
        List<String> notes = new ArrayList<>(base.notes());
        for (ObjectChange change : base.objects().objects()) {
            if (change instanceof ObjectChange.Changed changed) {
                CanonicalObject wanted = recorded.get(changed.key()).orElseThrow();
                Optional<String> json = cluster.liveJson(changed.key());
                if (json.isPresent()) {
                    objects.add(new ObjectChange.Changed(changed.key(), liveValues(json.get(), wanted, changed.fields())));
                    otherWriters(json.get()).ifPresent(w -> notes.add(changed.key() + " was also written by " + w));
                    continue;
                }
            }
            objects.add(change);
        }
        return new DriftReport(against, new ReleaseDiff(objects), base.canaryWeight(), notes);
    }

    /**
     * The differing fields with the values live now; when those equal the record (a field only
     * changed owner, e.g. re-applied by someone else with the same value), the restore's view.
     */
    private static List<FieldChange> liveValues(String liveJson, CanonicalObject wanted, List<FieldChange> owned) {
        CanonicalObject projected = LiveObjects.onRecordedPaths(liveJson, wanted);
        ReleaseDiff diff = new RestorePlanner().plan(ManifestSet.of(List.of(wanted)),
                LiveState.of(ManifestSet.of(List.of(projected))), RestoreOptions.SAFE).diff();
        for (ObjectChange change : diff.objects()) {
            if (change instanceof ObjectChange.Changed changed && !changed.fields().isEmpty()) {
                return changed.fields();
            }
        }
        return owned;
    }

    /** Field managers other than ours that wrote the object's spec or metadata (status writers left out). */
    private static Optional<String> otherWriters(String liveJson) {
        TreeSet<String> writers = new TreeSet<>();
        for (JsonNode entry : LiveObjects.read(liveJson).path("metadata").path("managedFields")) {
            String manager = entry.path("manager").asText("");
            if (!manager.isEmpty() && !manager.equals(Marks.FIELD_MANAGER)
                    && !"status".equals(entry.path("subresource").asText(""))) {
                writers.add(manager + " (" + entry.path("operation").asText("?")
                        + (entry.hasNonNull("time") ? " at " + entry.get("time").asText() : "") + ")");
            }
        }
        return writers.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", writers));
    }
}
