package dev.rollbackdeploy.jenkins.ui;

import hudson.model.Job;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which target has a restore queued or running in this controller, and the restores a progress page may
 * ask for by id. A click claims the target before anything is scheduled, so two clicks (or two browsers) on
 * one target give one restore and a clear refusal; the claim is released when the restore ends however it
 * ends, or when it is cancelled in the queue. The target lock file additionally keeps out the CLI and
 * Pipeline steps.
 *
 * <p>Memory holds the queued and running restores and only the newest {@link #FINISHED_IN_MEMORY} finished
 * ones; every restore's state and log are also on disk ({@link RestoreFiles}), where a progress page finds
 * an older one, and after a restart.
 */
final class ActiveRestores {

    static final int FINISHED_IN_MEMORY = 20;

    private static final Map<String, RestoreRun> BY_TARGET = new ConcurrentHashMap<>();
    private static final Map<String, RestoreRun> BY_ID = new ConcurrentHashMap<>();

    private ActiveRestores() {
    }

    /** Claims the run's target and saves its QUEUED state; empty when claimed, otherwise the restore that holds it. */
    static Optional<RestoreRun> claim(RestoreRun run) {
        RestoreRun holder = BY_TARGET.putIfAbsent(run.getTarget(), run);
        if (holder != null) {
            return Optional.of(holder);
        }
        BY_ID.put(run.getId(), run);
        RestoreFiles.save(run);
        return Optional.empty();
    }

    /** The restore has ended: frees its target, then keeps memory and the job's restore files bounded. */
    static void release(RestoreRun run) {
        BY_TARGET.remove(run.getTarget(), run);
        BY_ID.values().stream().filter(RestoreRun::isFinished)
                .sorted(Comparator.comparing(RestoreRun::getRequestedAt).reversed())
                .skip(FINISHED_IN_MEMORY).forEach(old -> BY_ID.remove(old.getId(), old));
        Set<String> inUse = BY_ID.values().stream().filter(r -> !r.isFinished() && r.getJob() == run.getJob())
                .map(RestoreRun::getId).collect(Collectors.toSet());
        RestoreFiles.prune(run.getJob(), inUse);
    }

    static Optional<RestoreRun> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The restore {@code id} of {@code job}: from memory while it is there, otherwise as saved on disk. */
    static Optional<RestoreRun> find(Job<?, ?> job, String id) {
        Optional<RestoreRun> live = byId(id).filter(r -> r.getJob() == job);
        return live.isPresent() ? live : RestoreFiles.load(job, id);
    }

    static boolean claimed(String target) {
        return BY_TARGET.containsKey(target);
    }

    /** How many restores memory holds (for the pruning test). */
    static int inMemory() {
        return BY_ID.size();
    }
}
