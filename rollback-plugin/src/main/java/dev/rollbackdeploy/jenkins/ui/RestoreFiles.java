package dev.rollbackdeploy.jenkins.ui;

import hudson.XmlFile;
import hudson.model.Job;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The job's restores on disk, beside its history: {@code <job>/rollback-deploy-restores/<id>.xml} (the state,
 * a Jenkins {@link XmlFile}, written atomically at every change) and {@code <id>.log}. A progress page whose
 * restore is no longer in memory (a controller restart, or pruned from memory) is read back from here; only
 * the newest {@link #KEEP} restores of a job are kept.
 */
final class RestoreFiles {

    /** Restores kept per job on disk; older ones (state and log) are deleted when a restore ends. */
    static final int KEEP = 50;
    static final String DIR = "rollback-deploy-restores";
    private static final Logger LOG = Logger.getLogger(RestoreFiles.class.getName());
    /** What ids look like (8 hex digits from a UUID); anything else never reaches the file system. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");

    /** What the state file holds: plain fields for XStream. */
    static final class Saved {
        private String id;
        private int build;
        private String buildRef;
        private String target;
        private String requestedBy;
        private String requestedAt;
        private String state;
        private String result;
        private int writes;
    }

    private RestoreFiles() {
    }

    static Path dir(Job<?, ?> job) {
        return job.getRootDir().toPath().resolve(DIR);
    }

    private static XmlFile file(Job<?, ?> job, String id) {
        return new XmlFile(new File(dir(job).toFile(), id + ".xml"));
    }

    /** Saves the restore's state; never throws (the page would then lose it after a restart, the restore goes on). */
    static void save(RestoreRun run) {
        Saved saved = new Saved();
        saved.id = run.getId();
        saved.build = run.getBuild();
        saved.buildRef = run.getBuildRef();
        saved.target = run.getTarget();
        saved.requestedBy = run.getRequestedBy();
        saved.requestedAt = run.getRequestedAt().toString();
        saved.state = run.getState().name();
        saved.result = run.getResult();
        saved.writes = run.getWrites();
        try {
            Files.createDirectories(dir(run.getJob()));
            file(run.getJob(), run.getId()).write(saved);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save the state of restore " + run.getId() + " of " + run.getJob().getFullName(), e);
        }
    }

    /**
     * The restore {@code id} of {@code job} as last saved; one saved while queued or running (the controller
     * stopped before it ended) reads back as {@link RestoreRun.State#INTERRUPTED}. Empty for an unknown or
     * malformed id, or a file that is not a restore's state.
     */
    static Optional<RestoreRun> load(Job<?, ?> job, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        XmlFile file = file(job, id);
        try {
            if (!file.exists() || !(file.read() instanceof Saved saved) || !id.equals(saved.id)) {
                return Optional.empty();
            }
            RestoreRun.State state = RestoreRun.State.valueOf(saved.state);
            String result = saved.result;
            if (state == RestoreRun.State.QUEUED || state == RestoreRun.State.RUNNING) {
                result = Messages.RestoreFiles_Interrupted(state);
                state = RestoreRun.State.INTERRUPTED;
            }
            return Optional.of(new RestoreRun(saved.id, job, saved.build, saved.buildRef, saved.target, saved.requestedBy,
                    Instant.parse(saved.requestedAt), Clock.systemUTC(), state, result == null ? "" : result, saved.writes));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read restore " + id + " of " + job.getFullName() + " from " + file, e);
            return Optional.empty();
        }
    }

    /**
     * Deletes the state and log of all but the newest {@link #KEEP} restores of the job (by last change),
     * never one of {@code inUse}. Never throws.
     */
    static void prune(Job<?, ?> job, Set<String> inUse) {
        Path dir = dir(job);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Map<String, FileTime> newest = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot > 0 && (name.endsWith(".xml") || name.endsWith(".log"))) {
                    newest.merge(name.substring(0, dot), Files.getLastModifiedTime(file), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
            List<String> old = newest.entrySet().stream().sorted(Map.Entry.<String, FileTime>comparingByValue(Comparator.reverseOrder()))
                    .skip(KEEP).map(Map.Entry::getKey).filter(id -> !inUse.contains(id)).toList();
            for (String id : old) {
                Files.deleteIfExists(dir.resolve(id + ".xml"));
                Files.deleteIfExists(dir.resolve(id + ".log"));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot prune the restores of " + job.getFullName() + " in " + dir, e);
        }
    }
}
