package dev.rollbackdeploy.jenkins.ui;

import hudson.model.Job;
import hudson.model.ModelObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * One click on "Roll back to this build": its state and log, shown on its progress page
 * ({@code job/<job>/rollback-deployments/restore/<id>/}). The log is a file under the job's directory,
 * so it stays readable after the restore (and after a restart, when the state says so from the history).
 */
public final class RestoreRun implements ModelObject {

    /** Where a restore is; every state after RUNNING is final. */
    public enum State { QUEUED, RUNNING, RESTORED, ALREADY_LIVE, REFUSED, LOCKED, FAILED, CANCELLED }

    private final String id;
    private final Job<?, ?> job;
    private final int build;
    private final String buildRef;
    private final String target;
    private final String requestedBy;
    private final Clock clock;
    private volatile State state = State.QUEUED;
    private volatile String result = "";
    private volatile int writes = -1;

    RestoreRun(String id, Job<?, ?> job, int build, String buildRef, String target, String requestedBy, Clock clock) {
        this.id = id;
        this.job = job;
        this.build = build;
        this.buildRef = buildRef;
        this.target = target;
        this.requestedBy = requestedBy;
        this.clock = clock;
    }

    static Path logDir(Job<?, ?> job) {
        return job.getRootDir().toPath().resolve("rollback-deploy-restores");
    }

    Path logFile() {
        return logDir(job).resolve(id + ".log");
    }

    /** Appends one line with its time; never throws (a log that cannot be written must not stop a restore). */
    synchronized void log(String line) {
        try {
            Files.createDirectories(logDir(job));
            Files.writeString(logFile(), Instant.now(clock) + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the history entry still records the outcome
        }
    }

    void finish(State end, String summary, int madeWrites) {
        writes = madeWrites;
        result = summary;
        log(summary);
        state = end;
    }

    void running() {
        state = State.RUNNING;
    }

    public String getLog() throws IOException {
        Path file = logFile();
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    public boolean isFinished() {
        return !List.of(State.QUEUED, State.RUNNING).contains(state);
    }

    public String getId() { return id; }
    public Job<?, ?> getJob() { return job; }
    public int getBuild() { return build; }
    public String getBuildRef() { return buildRef; }
    public String getTarget() { return target; }
    public String getRequestedBy() { return requestedBy; }
    public State getState() { return state; }
    public String getResult() { return result; }
    public int getWrites() { return writes; }

    @Override
    public String getDisplayName() {
        return Messages.RestoreRun_DisplayName(buildRef);
    }
}
