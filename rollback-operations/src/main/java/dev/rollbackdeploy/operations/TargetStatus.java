package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.kubernetes.KubernetesCluster;
import dev.rollbackdeploy.kubernetes.KubernetesDrift;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.RecordStore;
import java.io.IOException;

/**
 * The one "status": what is live on a target against its newest promoted record — in sync, or which
 * objects and fields differ (weights set by hand, {@code kubectl edit}). Reads only; a restore of that
 * record repairs what it reports.
 */
public final class TargetStatus {

    private TargetStatus() {
    }

    /**
     * @throws OperationException INVALID when the target has no promoted record; REFUSED for a corrupt one;
     *                            INFRASTRUCTURE when the store cannot be read
     */
    public static DeploymentRecord newestPromoted(RecordStore store, String target) throws OperationException,
            InterruptedException {
        return StoredRecords.latestPromoted(store, target).orElseThrow(() -> new OperationException(
                OperationException.Kind.INVALID, "target " + target + " has no promoted build recorded (see"
                        + " `rollback history --target " + target + "`)"));
    }

    /**
     * @param live the record's target, opened (a Kubernetes cluster also names who else wrote a changed field)
     * @throws OperationException INFRASTRUCTURE when the target cannot be read
     */
    public static DriftReport check(DeploymentRecord record, Cluster live, String where) throws OperationException,
            InterruptedException {
        try {
            return live instanceof KubernetesCluster kubernetes
                    ? KubernetesDrift.check(kubernetes, record.ref().toString(), record.manifests())
                    : DriftReport.compare(record.ref().toString(), record.manifests(), live.observe());
        } catch (IOException e) {
            throw new OperationException(OperationException.Kind.INFRASTRUCTURE, "cannot read " + where + ": "
                    + e.getMessage(), e);
        }
    }
}
