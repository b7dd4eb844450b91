package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.LiveState;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.record.Outcome;
import dev.rollbackdeploy.record.RecordStore;
import dev.rollbackdeploy.record.RecordSummary;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a restore that decides whether it may happen at all, in the order that keeps a refused
 * restore harmless: load the record, check its image digests against the registry, and only then
 * observe the target and plan. A record whose images are gone is refused before the target is even
 * read, so nothing (traffic included) moves for a build that would stop in {@code ImagePullBackOff}.
 *
 * <p>Makes no writes and never waits: it reads the store, asks the registry once per digest, and
 * observes the cluster once. Shells then drive the plan with {@link dev.rollbackdeploy.plan.PlanExecutor}.
 */
public final class RestorePreparation {

    /**
     * Builds offered instead of a blocked one must have ended live: a build that failed, was aborted
     * or was rolled back is not a state anyone wants back, even if its images still exist.
     */
    private static final Set<Outcome.Status> ENDED_LIVE = Set.of(Outcome.Status.DEPLOYED, Outcome.Status.PROMOTED);

    private RestorePreparation() {
    }

    /**
     * Prepares restoring {@code target}.
     *
     * @param registry where the record's images live; empty skips the digest check (and says so in
     *                 {@link PreparedRestore#images()})
     * @throws dev.rollbackdeploy.record.NoSuchRecordException           the build has no record
     * @throws dev.rollbackdeploy.record.CorruptRecordException          the record (or one in its history,
     *                                                                    when listed) cannot be trusted
     * @throws dev.rollbackdeploy.record.UnsupportedRecordFormatException a newer plugin wrote the record
     * @throws DigestPreflightException a recorded image digest no longer exists; names the image and the
     *                                  nearest older build that can be restored. Nothing was observed.
     * @throws IOException              the store, the registry or the cluster could not be read
     */
    public static PreparedRestore prepare(RecordStore store, BuildRef target, Cluster cluster,
            Optional<Registry> registry, RestoreOptions options)
            throws DigestPreflightException, IOException, InterruptedException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(options, "options");

        DeploymentRecord record = store.load(target);
        List<ImageRef> images = RecordedImages.of(record);
        PreparedRestore.ImageCheck check;
        if (images.isEmpty()) {
            check = new PreparedRestore.Verified(images);
        } else if (registry.isPresent()) {
            requireImages(store, record, images, registry.get());
            check = new PreparedRestore.Verified(images);
        } else {
            check = new PreparedRestore.NotChecked(images, "no registry was given to check them against");
        }
        LiveState live = cluster.observe();
        Plan plan = new RestorePlanner().plan(record.manifests(), live, options);
        return new PreparedRestore(record, plan, check);
    }

    /**
     * Checks the target alone first, which is all a healthy restore costs; only when it is blocked
     * are older records of the same target loaded, newest first, until one can be restored.
     */
    private static void requireImages(RecordStore store, DeploymentRecord record, List<ImageRef> images,
            Registry registry) throws DigestPreflightException, IOException, InterruptedException {
        DigestPreflight preflight = new DigestPreflight(new AskOnce(registry));
        DigestPreflight.Build wanted = DigestPreflight.Build.of(record.ref(), images);
        DigestPreflight.Result alone = preflight.check(List.of(wanted), record.ref());
        if (alone instanceof DigestPreflight.Restorable) {
            return;
        }
        RecordSummary targetSummary = RecordSummary.of(record);
        // An unreadable older record cannot be restored either; it must not hide the ones that can.
        for (RecordSummary older : store.listing(record.targetKey()).records()) {
            if (RecordSummary.NEWEST_FIRST.compare(targetSummary, older) >= 0
                    || !ENDED_LIVE.contains(older.outcome().status())) {
                continue;
            }
            DeploymentRecord candidate = store.load(older.build());
            DigestPreflight.Build build = DigestPreflight.Build.of(candidate.ref(), RecordedImages.of(candidate));
            DigestPreflight.Result result = preflight.check(List.of(wanted, build), record.ref());
            if (result instanceof DigestPreflight.Blocked blocked && blocked.nearestRestorable().isPresent()) {
                result.requireRestorable();
            }
        }
        alone.requireRestorable();
    }

    /** Asks the registry once per repository and digest across all the checks of one preparation. */
    private static final class AskOnce implements Registry {
        private final Registry registry;
        private final Map<String, Boolean> answers = new HashMap<>();

        AskOnce(Registry registry) {
            this.registry = registry;
        }

        @Override
        public Digest resolve(ImageRef image) throws IOException {
            return registry.resolve(image);
        }

        @Override
        public boolean exists(ImageRef image, Digest digest) throws IOException {
            String key = image.name() + "@" + digest;
            Boolean known = answers.get(key);
            if (known == null) {
                known = registry.exists(image, digest);
                answers.put(key, known);
            }
            return known;
        }
    }
}
