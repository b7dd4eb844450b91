package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordCodec;
import dev.rollbackdeploy.record.Target;
import hudson.model.Job;
import hudson.model.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * A build's deployment record on its build page. {@code build.xml} keeps only plain summary fields
 * (XStream cannot read Java records back); the whole record, manifests included, is the engine's
 * versioned JSON in {@value #RECORD_FILE} beside {@code build.xml}, read back through
 * {@link RecordCodec} (which refuses a tampered or corrupt file).
 */
public final class DeploymentRecordAction implements RunAction2 {

    static final String RECORD_FILE = "rollback-deploy-record.json";

    private final String build;
    private final String target;
    private final String targetDescription;
    private final String strategy;
    private final String status;
    private final String reason;
    private final String restoredFrom;
    private final String startedAt;
    private final String finishedAt;
    private final String templateSet;
    private final List<String> images;
    private final List<String> templates;
    // not final: XStream leaves a field absent from an older build.xml null, readResolve repairs it
    private List<HistoryEntry> rollbacks = new ArrayList<>();
    private transient Run<?, ?> run;

    DeploymentRecordAction(DeploymentRecord record) {
        build = record.ref().toString();
        target = record.targetKey();
        targetDescription = describe(record.target());
        strategy = record.strategy().kind().name();
        status = record.outcome().status().name();
        reason = record.outcome().reason();
        restoredFrom = record.outcome().restoredFromIfAny().map(Object::toString).orElse("");
        startedAt = record.startedAt().toString();
        finishedAt = record.finishedAt().toString();
        templateSet = record.manifests().setHash().toString();
        images = new ArrayList<>();
        for (DeployedWorkload workload : record.workloads()) {
            images.add(workload.workload() + ": " + workload.image() + "@" + workload.digest());
        }
        templates = new ArrayList<>();
        for (CanonicalObject object : record.manifests().objects()) {
            templates.add(object.key() + " " + object.hash());
        }
    }

    /**
     * Attaches {@code record} to {@code run}: the record's JSON beside {@code build.xml}, the summary on the
     * build page (replacing an earlier one of this run), a DEPLOY entry on the job's Deployments page, and
     * saves the run. The canaryDeploy and rollbackTo steps call this once they have the record; it does
     * not write the controller's record store (the front door already did).
     */
    public static DeploymentRecordAction attachRecordToRun(Run<?, ?> run, DeploymentRecord record) throws IOException {
        writeAtomically(run.getRootDir().toPath().resolve(RECORD_FILE), new RecordCodec().encode(record));
        DeploymentRecordAction action = new DeploymentRecordAction(record);
        run.replaceAction(action);
        run.save();
        Job<?, ?> job = run.getParent();
        String before = DeploymentHistory.live(job, action.target).orElse("");
        DeploymentHistory.append(job, new HistoryEntry(HistoryEntry.Kind.DEPLOY, action.target, before, action.build,
                record.build().actor(), action.finishedAt, action.reason, action.status, -1));
        return action;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String describe(Target target) {
        if (target instanceof Target.HAProxy haproxy) {
            return "HAProxy backend " + haproxy.backend() + " on " + haproxy.endpoints();
        }
        if (target instanceof Target.Kubernetes kube) {
            return "Kubernetes " + kube.cluster() + " namespace " + kube.namespace();
        }
        throw new AssertionError(target);
    }

    private Object readResolve() {
        if (rollbacks == null) {
            rollbacks = new ArrayList<>();
        }
        return this;
    }

    /** The whole record, read back from beside {@code build.xml} and checked by the codec. */
    public DeploymentRecord record() throws IOException {
        Path file = run.getRootDir().toPath().resolve(RECORD_FILE);
        return new RecordCodec().decode(Files.readAllBytes(file), file.toString());
    }

    /** Adds a rollback of the target to this build to the build's history and saves the run. */
    void addRollback(HistoryEntry entry) throws IOException {
        synchronized (rollbacks) {
            rollbacks.add(entry);
        }
        run.save();
    }

    /** The gate evidence as the engine's SVG chart, or "" when the build has none. */
    public String getChartSvg() throws IOException {
        return GateCharts.svg(record());
    }

    public String getBuild() { return build; }
    public String getTarget() { return target; }
    public String getTargetDescription() { return targetDescription; }
    public String getStrategy() { return strategy; }
    public String getStatus() { return status; }
    public String getReason() { return reason; }
    public String getRestoredFrom() { return restoredFrom; }
    public String getStartedAt() { return startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public String getTemplateSet() { return templateSet; }
    public List<String> getImages() { return Collections.unmodifiableList(images); }
    public List<String> getTemplates() { return Collections.unmodifiableList(templates); }

    public List<HistoryEntry> getRollbacks() {
        synchronized (rollbacks) {
            return List.copyOf(rollbacks);
        }
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return "symbol-document-text-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return Messages.DeploymentRecordAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "rollback-record";
    }
}
