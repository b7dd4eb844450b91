package dev.rollbackdeploy.plan;

import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ObjectKey;
import java.io.IOException;

/**
 * Where a release's objects live: a Kubernetes namespace, or a directory for local runs. Every
 * method is idempotent (applying what is there, deleting what is gone, scaling to the current count
 * change nothing), so a plan interrupted anywhere can simply be run again.
 *
 * <p>{@link IOException} means the call may or may not have taken effect; callers re-observe before
 * deciding anything. {@link InterruptedException} is propagated with the interrupt kept.
 */
public interface Cluster {

    /** The objects this product manages on the target, in canonical form. */
    LiveState observe() throws IOException, InterruptedException;

    /** Create or update the object so that its canonical form equals this one. */
    void apply(CanonicalObject object) throws IOException, InterruptedException;

    /** Delete the object; deleting one that does not exist succeeds. */
    void delete(ObjectKey object) throws IOException, InterruptedException;

    /** Set the workload's replica count only. */
    void scale(ObjectKey workload, int replicas) throws IOException, InterruptedException;

    /**
     * Whether the workload has rolled out its current template and is ready, asked once; never waits.
     * The caller decides how long to keep asking (the engine does not block in loops of its own).
     *
     * @throws WorkloadFailedException the rollout cannot succeed without a change (image pull error,
     *                                 crash loop, unschedulable), with the pod's reason
     */
    boolean isReady(ObjectKey workload) throws WorkloadFailedException, IOException, InterruptedException;

    /** A readiness check that will never pass, with the reason a person needs. */
    final class WorkloadFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        public WorkloadFailedException(ObjectKey workload, String reason) {
            super(workload + " cannot become ready: " + reason);
        }
    }
}
