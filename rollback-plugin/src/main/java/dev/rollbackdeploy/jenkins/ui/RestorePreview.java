package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.operations.OperationException;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.plan.FieldChange;
import dev.rollbackdeploy.plan.ImageChange;
import dev.rollbackdeploy.plan.ObjectChange;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.FileRecordStore;
import dev.rollbackdeploy.restore.PreparedRestore;
import hudson.model.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What "Roll back to this build" would change, for the confirm page: the front door's restore
 * preparation against the live target (reads only; digests are checked when the restore runs), shown
 * as the engine's {@code ReleaseDiff}: images, then each object added, removed or changed with its fields
 * (for HAProxy, the servers' weights: the traffic split).
 */
public final class RestorePreview {

    /** One changed object: a sign (+, -, ~), its key, and its field changes as "path: live -> build". */
    public record ObjectRow(String sign, String object, List<String> fields) {
    }

    private final List<String> images;
    private final List<ObjectRow> objects;
    private final List<String> refusals;
    private final String error;

    private RestorePreview(List<String> images, List<ObjectRow> objects, List<String> refusals, String error) {
        this.images = images;
        this.objects = objects;
        this.refusals = refusals;
        this.error = error;
    }

    /** @param job whose context a Kubernetes cluster's credential is looked up in (the page's job) */
    static RestorePreview of(String buildRef, Job<?, ?> job) throws InterruptedException {
        try {
            FileRecordStore store = ControllerRecords.store();
            BuildRef ref = BuildRef.parse(buildRef);
            DeploymentRecord record = Restore.record(store, ref);
            try (LiveTargets.Live live = LiveTargets.open(record, KubernetesTargetsFromConfig.Credentials.ofItem(job))) {
                PreparedRestore prepared = Restore.prepare(store, ref, live.cluster(), Optional.empty(), RestoreOptions.SAFE,
                        live.description());
                Plan plan = prepared.plan();
                List<String> images = plan.diff().images().stream().map(ImageChange::toString).toList();
                List<ObjectRow> objects = new ArrayList<>();
                for (ObjectChange change : plan.diff().objects()) {
                    objects.add(row(change));
                }
                return new RestorePreview(images, objects, plan.refusals(), null);
            }
        } catch (OperationException | IllegalArgumentException e) {
            return new RestorePreview(List.of(), List.of(), List.of(), e.getMessage());
        }
    }

    private static ObjectRow row(ObjectChange change) {
        if (change instanceof ObjectChange.Added added) {
            return new ObjectRow("+", added.key().toString(), List.of(Messages.RestorePreview_Added()));
        }
        if (change instanceof ObjectChange.Removed removed) {
            return new ObjectRow("-", removed.key().toString(), List.of(Messages.RestorePreview_Removed()));
        }
        if (change instanceof ObjectChange.Changed changed) {
            return new ObjectRow("~", changed.key().toString(), changed.fields().stream().map(FieldChange::toString).toList());
        }
        throw new AssertionError(change);
    }

    /** Live already equals the build's record: nothing to do. */
    public boolean isAlreadyLive() {
        return error == null && objects.isEmpty();
    }

    /** The restore can go ahead (there is a difference, and no change needs what the page does not allow). */
    public boolean isRestorable() {
        return error == null && !objects.isEmpty() && refusals.isEmpty();
    }

    public List<String> getImages() { return images; }
    public List<ObjectRow> getObjects() { return objects; }
    public List<String> getRefusals() { return refusals; }
    public String getError() { return error; }
}
