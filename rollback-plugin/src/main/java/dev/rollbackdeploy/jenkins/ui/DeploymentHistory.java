package dev.rollbackdeploy.jenkins.ui;

import hudson.XmlFile;
import hudson.model.Job;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The job's deploys and rollbacks, newest last, in {@code <job>/rollback-deploy-history.xml} (an
 * {@link XmlFile}, written atomically by Jenkins). Appends are serialised per JVM; the target lock makes
 * sure two restores of one target never run together, so the order here is the order things went live.
 */
public final class DeploymentHistory {

    static final String FILE = "rollback-deploy-history.xml";
    private static final Object LOCK = new Object();

    /** What the file holds (a plain class for XStream). */
    static final class Entries {
        private final List<HistoryEntry> entries = new ArrayList<>();
    }

    private DeploymentHistory() {
    }

    private static XmlFile file(Job<?, ?> job) {
        return new XmlFile(new File(job.getRootDir(), FILE));
    }

    public static void append(Job<?, ?> job, HistoryEntry entry) throws IOException {
        synchronized (LOCK) {
            Entries all = read(job);
            all.entries.add(entry);
            file(job).write(all);
        }
    }

    public static List<HistoryEntry> list(Job<?, ?> job) throws IOException {
        synchronized (LOCK) {
            return Collections.unmodifiableList(new ArrayList<>(read(job).entries));
        }
    }

    /**
     * A rollback of {@code job}'s target to one of its builds: the entry on the job's Deployments page and
     * in the restored build's rollback history. The button's restore and the {@code rollbackTo} step both
     * record here, so the page shows every way a target was put back.
     */
    public static void recordRollback(Job<?, ?> job, int restoredBuild, HistoryEntry entry) throws IOException {
        append(job, entry);
        hudson.model.Run<?, ?> build = job.getBuildByNumber(restoredBuild);
        DeploymentRecordAction action = build == null ? null : build.getAction(DeploymentRecordAction.class);
        if (action != null) {
            action.addRollback(entry);
        }
    }

    /** The build the newest effective entry of {@code target} left live. */
    public static Optional<String> live(Job<?, ?> job, String target) throws IOException {
        List<HistoryEntry> all = list(job);
        for (int i = all.size() - 1; i >= 0; i--) {
            HistoryEntry entry = all.get(i);
            if (entry.getTarget().equals(target) && entry.isEffective()) {
                return Optional.of(entry.getTo());
            }
        }
        return Optional.empty();
    }

    private static Entries read(Job<?, ?> job) throws IOException {
        XmlFile file = file(job);
        if (!file.exists()) {
            return new Entries();
        }
        Object read = file.read();
        if (!(read instanceof Entries entries)) {
            throw new IOException(file + " does not hold a deployment history, got " + read.getClass().getName());
        }
        return entries;
    }
}
