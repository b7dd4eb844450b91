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
 * ({@code job/<job>/rollback-deployments/restore/<id>/}). The log and the state are files under the job's
 * directory ({@link RestoreFiles}), saved at every change, so the page the POST redirected to still shows
 * the log and outcome after a controller restart.
 */
public final class RestoreRun implements ModelObject {

    /**
     * Where a restore is; every state after RUNNING is final. FLAGS_OFF: the kill switch (mode instead of traffic)
     * turned the flags off and the target was left as it is. INTERRUPTED is only read back: the controller
     * stopped while the restore was queued or running.
     */
    public enum State { QUEUED, RUNNING, RESTORED, FLAGS_OFF, ALREADY_LIVE, REFUSED, LOCKED, FAILED, CANCELLED, INTERRUPTED }

    private final String id;
    private final Job<?, ?> job;
    private final int build;
    private final String buildRef;
    private final String target;
    private final String requestedBy;
    private final Instant requestedAt;
    private final Clock clock;
    private volatile State state;
    private volatile String result;
    private volatile int writes;

    RestoreRun(String id, Job<?, ?> job, int build, String buildRef, String target, String requestedBy, Clock clock) {
        this(id, job, build, buildRef, target, requestedBy, clock.instant(), clock, State.QUEUED, "", -1);
    }

    /** As read back from its file ({@link RestoreFiles#load}). */
    RestoreRun(String id, Job<?, ?> job, int build, String buildRef, String target, String requestedBy, Instant requestedAt,
            Clock clock, State state, String result, int writes) {
        this.id = id;
        this.job = job;
        this.build = build;
        this.buildRef = buildRef;
        this.target = target;
        this.requestedBy = requestedBy;
        this.requestedAt = requestedAt;
        this.clock = clock;
        this.state = state;
        this.result = result;
        this.writes = writes;
    }

    Path logFile() {
        return RestoreFiles.dir(job).resolve(id + ".log");
    }

    /** Appends one line with its time; never throws (a log that cannot be written must not stop a restore). */
    synchronized void log(String line) {
        try {
            Files.createDirectories(RestoreFiles.dir(job));
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
        RestoreFiles.save(this);
    }

    void running() {
        state = State.RUNNING;
        RestoreFiles.save(this);
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
    public Instant getRequestedAt() { return requestedAt; }
    public State getState() { return state; }
    public String getResult() { return result; }
    public int getWrites() { return writes; }

    @Override
    public String getDisplayName() {
        return Messages.RestoreRun_DisplayName(buildRef);
    }
}
