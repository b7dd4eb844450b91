package dev.rollbackdeploy.jenkins.ui;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which target has a restore queued or running in this controller, and every restore by id for its
 * progress page. A click claims the target before anything is scheduled, so two clicks (or two
 * browsers) on one target give one restore and a clear refusal; the claim is released when the restore
 * ends however it ends, or when it is cancelled in the queue. The target lock file additionally keeps out
 * the CLI and Pipeline steps.
 */
final class ActiveRestores {

    private static final Map<String, RestoreRun> BY_TARGET = new ConcurrentHashMap<>();
    private static final Map<String, RestoreRun> BY_ID = new ConcurrentHashMap<>();

    private ActiveRestores() {
    }

    /** Claims the run's target; empty when claimed, otherwise the restore that holds it. */
    static Optional<RestoreRun> claim(RestoreRun run) {
        RestoreRun holder = BY_TARGET.putIfAbsent(run.getTarget(), run);
        if (holder != null) {
            return Optional.of(holder);
        }
        BY_ID.put(run.getId(), run);
        return Optional.empty();
    }

    static void release(RestoreRun run) {
        BY_TARGET.remove(run.getTarget(), run);
    }

    static Optional<RestoreRun> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    static boolean claimed(String target) {
        return BY_TARGET.containsKey(target);
    }
}
