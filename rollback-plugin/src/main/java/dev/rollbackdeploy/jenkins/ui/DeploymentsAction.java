package dev.rollbackdeploy.jenkins.ui;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jenkins.model.TransientActionFactory;

/**
 * The job's "Deployments" page: each target's deploys and rollbacks, newest first (who, when, from → to,
 * reason, outcome), this job's newest entries of the hash-chained audit log (its verification under
 * {@code audit/}), and the progress pages of this job's restores under {@code restore/<id>/}.
 */
public final class DeploymentsAction implements Action {

    static final String URL_NAME = "rollback-deployments";

    private final Job<?, ?> job;

    DeploymentsAction(Job<?, ?> job) {
        this.job = job;
    }

    static String restoreUrl(RestoreRun run) {
        return run.getJob().getUrl() + URL_NAME + "/restore/" + run.getId() + "/";
    }

    public Job<?, ?> getJob() {
        return job;
    }

    /** Target key → its entries, newest first. */
    public Map<String, List<HistoryEntry>> getTargets() throws IOException {
        Map<String, List<HistoryEntry>> byTarget = new TreeMap<>();
        for (HistoryEntry entry : DeploymentHistory.list(job)) {
            byTarget.computeIfAbsent(entry.getTarget(), t -> new ArrayList<>()).add(entry);
        }
        byTarget.values().forEach(Collections::reverse);
        return byTarget;
    }

    /** Stapler: {@code audit/}; the page shows {@link AuditView#getRecentTable()}. */
    public AuditView getAudit() {
        return new AuditView(job);
    }

    /** Stapler: {@code restore/<id>/}, only restores of this job; from disk once no longer in memory (after a restart). */
    public RestoreRun getRestore(String id) {
        return ActiveRestores.find(job, id).orElse(null);
    }

    @Override
    public String getIconFileName() {
        return new File(job.getRootDir(), DeploymentHistory.FILE).exists() ? "symbol-list-outline plugin-ionicons-api" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.DeploymentsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Every job gets the page; its link shows once the job has deployed or rolled back. */
    @Extension
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @Override
        public Class<? extends Action> actionType() {
            return DeploymentsAction.class;
        }

        @Override
        public Collection<? extends Action> createFor(Job target) {
            return List.of(new DeploymentsAction(target));
        }
    }
}
