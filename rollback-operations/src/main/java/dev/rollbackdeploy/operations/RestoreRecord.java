package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.manifest.ContainerImage;
import dev.rollbackdeploy.manifest.ImagePinner;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.record.BuildInfo;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeployedWorkload;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordSafety;
import dev.rollbackdeploy.schema.RecoveryRun;
import dev.rollbackdeploy.schema.SchemaJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of a restore (docs/safety.md): saved under the build the shell names ({@code recordAs}), it
 * holds what is live afterwards — the restored record's release, or, when the kill switch replaced the
 * writes, what was observed live — with outcome ROLLED_BACK naming the restored build, and the restore's
 * safety facts (schema check, recovery, flags). It is a record like a deploy's: restorable, pinned by the
 * audit entry, write-once.
 */
final class RestoreRecord {

    /** Longest outcome reason a record holds ({@code Outcome}'s limit, with room). */
    private static final int LONGEST_REASON = 3000;

    private final OperationContext context;
    private final RestoreRequest request;
    private final Cluster cluster;
    private Optional<BuildRef> recorded = Optional.empty();

    RestoreRecord(OperationContext context, RestoreRequest request, Cluster cluster) {
        this.context = context;
        this.request = request;
        this.cluster = cluster;
    }

    /** Before the lock: a record is write-once, so a build that has one cannot take the restore's. @throws OperationException INVALID */
    void refuseTaken() throws OperationException, InterruptedException {
        if (request.recordAs().isEmpty()) {
            return;
        }
        BuildRef as = request.recordAs().get();
        Optional<DeploymentRecord> taken = StoredRecords.find(context.records(), as);
        if (taken.isPresent()) {
            DeploymentRecord existing = taken.get();
            throw new OperationException(OperationException.Kind.INVALID, as + " already has a record ("
                    + existing.outcome().status() + " on " + existing.targetKey() + ", finished " + existing.finishedAt()
                    + "); a restore cannot overwrite it: name another build to record the restore as; nothing was changed");
        }
    }

    /**
     * Saves the record of a restore that ended {@code status}, when one was asked for. A record that cannot be
     * saved is reported, not thrown: the target has already changed.
     */
    Optional<DeploymentRecord> save(RestoreResult.Status status, String summary, Instant started, Optional<BuildRef> from,
            RestoreFlags flags, RestoreRecovery recovery, SchemaGate schema) throws InterruptedException {
        if (request.recordAs().isEmpty()) {
            return Optional.empty();
        }
        BuildRef as = request.recordAs().get();
        try {
            DeploymentRecord live = status == RestoreResult.Status.FLAGS_OFF ? liveRecord(from) : request.record();
            Facts facts = new Facts(live.safety().schemaJson(), schema.decision().map(SchemaJson::decision),
                    recovery.ran().map(RecoveryRun::json), flags.recordForm(context.progress()));
            String reason = request.why() + ": " + summary;
            BuildInfo info = new BuildInfo(as, request.recordUrl().orElse(request.record().build().url()), context.actor());
            DeploymentRecord record = of(live, info, request.record().ref(), reason.length() > LONGEST_REASON
                    ? reason.substring(0, LONGEST_REASON - 1) + "…" : reason, facts, started, context.clock().instant());
            context.records().save(record);
            recorded = Optional.of(as);
            context.progress().report("recorded this restore as " + as);
            return Optional.of(record);
        } catch (IOException | IllegalArgumentException | OperationException e) {
            context.progress().report("WARNING: the record of this restore (" + as + ") was not saved: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The build under which the restore was recorded, once it was. */
    Optional<BuildRef> recorded() {
        return recorded;
    }

    /** Left as it was: the record of the build live before when one matched, else what is observed live. */
    private DeploymentRecord liveRecord(Optional<BuildRef> from) throws IOException, InterruptedException, OperationException {
        if (from.isPresent()) {
            Optional<DeploymentRecord> found = StoredRecords.find(context.records(), from.get());
            if (found.isPresent()) {
                return found.get();
            }
        }
        return observed(request.record(), cluster.observe().objects());
    }

    /** The facts a restore record carries, each empty when the restore had none. */
    private record Facts(Optional<ObjectNode> schema, Optional<ObjectNode> schemaCheck, Optional<ObjectNode> recovery,
            Optional<ObjectNode> flags) {
        RecordSafety safety() {
            return RecordSafety.NONE.withSchema(schema.orElse(null)).withSchemaCheck(schemaCheck.orElse(null))
                    .withRecovery(recovery.orElse(null)).withFlags(flags.orElse(null));
        }
    }

    /**
     * @param live   the record whose release is live afterwards (the restored one, or the record matching
     *               what was live when the target was left as it was); its workloads, strategy and target
     * @param info   the restore's own build, page and actor
     * @param reason who asked and what happened
     */
    private static DeploymentRecord of(DeploymentRecord live, BuildInfo info, BuildRef restored, String reason, Facts facts,
            Instant started, Instant finished) {
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, info, live.target(), live.workloads(), live.manifests(),
                live.strategy(), List.of(), Outcome.rolledBack(reason, restored), started, finished)
                .withSafety(facts.safety());
    }

    /**
     * What was observed live when no record matches it: the restored record's target and strategy with the
     * observed objects, and the images in them that are pinned by digest. A restore of it puts back exactly
     * what was observed.
     */
    private static DeploymentRecord observed(DeploymentRecord restored, ManifestSet live) {
        List<DeployedWorkload> workloads = new ArrayList<>();
        for (ContainerImage image : ImagePinner.images(live)) {
            image.image().digestIfAny().ifPresent(d -> workloads.add(new DeployedWorkload(image.workload(), image.image(), d)));
        }
        return new DeploymentRecord(DeploymentRecord.CURRENT_FORMAT, restored.build(), restored.target(), workloads, live,
                restored.strategy(), List.of(), Outcome.promoted(), restored.startedAt(), restored.finishedAt());
    }
}
