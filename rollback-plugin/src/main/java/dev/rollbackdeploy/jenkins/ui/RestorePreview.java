package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.jenkins.config.KillSwitchConfig;
import dev.rollbackdeploy.jenkins.config.KillSwitches;
import dev.rollbackdeploy.jenkins.config.KubernetesTargetsFromConfig;
import dev.rollbackdeploy.jenkins.config.RollbackConfiguration;
import dev.rollbackdeploy.jenkins.config.SchemaChecks;
import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.FlagSwitch;
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
import dev.rollbackdeploy.schema.SchemaDecision;
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
    private SchemaView schema;
    private List<String> flags = List.of();
    private String killSwitch;

    private RestorePreview(List<String> images, List<ObjectRow> objects, List<String> refusals, String error) {
        this.images = images;
        this.objects = objects;
        this.refusals = refusals;
        this.error = error;
    }

    /**
     * The schema check as the restore would run it (docs/safety.md), for the page before the confirm form.
     *
     * @param proceeds    the restore would go on
     * @param overridable refused, but a person may override it with a reason
     */
    public record SchemaView(String summary, boolean proceeds, boolean overridable) {
    }

    /** @param job the page's job: the context a Kubernetes cluster's and the schema datasource's credentials are looked up in */
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
                RestorePreview preview = new RestorePreview(images, objects, plan.refusals(), null);
                preview.flags = FlagStates.of(record);
                preview.killSwitch = killSwitch(job, record.targetKey());
                if (!objects.isEmpty()) {
                    preview.schema = Restore.schemaCheck(record, SchemaChecks.forItem(job, record.targetKey())
                            .map(Datasource::preflight)).map(RestorePreview::view).orElse(null);
                }
                return preview;
            }
        } catch (OperationException | IllegalArgumentException e) {
            return new RestorePreview(List.of(), List.of(), List.of(), e.getMessage());
        }
    }

    /** "Flags [a] in unleash http://… project default, environment production, turned off before traffic moves". */
    private static String killSwitch(Job<?, ?> job, String target) {
        Optional<KillSwitchConfig> config = RollbackConfiguration.get().killSwitch(target);
        if (config.isEmpty()) {
            return null;
        }
        try {
            Optional<FlagSwitch> flags = KillSwitches.forItem(job, target);
            return flags.map(f -> Messages.RestorePreview_KillSwitch(f, config.get().describeMode())).orElse(null);
        } catch (OperationException e) {
            return Messages.RestorePreview_KillSwitchUnusable(e.getMessage());
        }
    }

    private static SchemaView view(SchemaDecision decision) {
        return new SchemaView(decision.summary(), decision.proceeds(), decision instanceof SchemaDecision.Refuse refuse
                && refuse.cause().overridable());
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

    /**
     * The restore can go ahead (there is a difference, no change needs what the page does not allow, and the
     * schema check passes or may be overridden with a reason).
     */
    public boolean isRestorable() {
        return error == null && !objects.isEmpty() && refusals.isEmpty()
                && (schema == null || schema.proceeds() || schema.overridable());
    }

    public List<String> getImages() { return images; }
    public List<ObjectRow> getObjects() { return objects; }
    public List<String> getRefusals() { return refusals; }
    public String getError() { return error; }
    /** The schema check, or null when no datasource is configured for the target (or nothing would change). */
    public SchemaView getSchema() { return schema; }
    /** What the configured kill switch will turn off first (or instead of moving traffic), where; null when none. */
    public String getKillSwitch() { return killSwitch; }
    /** The flag states the build's record carries ("new-checkout: on"), empty when none. */
    public List<String> getFlags() { return flags; }
}
