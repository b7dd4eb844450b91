package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.image.Registry;
import dev.rollbackdeploy.record.BuildRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks, before any traffic moves, that every image a recorded build ran can still be pulled by
 * digest. A registry's garbage collection or a retention policy can delete an old manifest long after
 * the build was recorded; restoring such a build would leave pods in {@code ImagePullBackOff} halfway
 * through a rollout, so the restore is refused up front and the newest earlier build that can still
 * be restored is named instead.
 *
 * <p>Only reads the registry, so it is idempotent. A registry that cannot be asked fails the check
 * with its {@link IOException}: "don't know" is never taken as "gone" or as "there".
 */
public final class DigestPreflight {

    private final Registry registry;

    public DigestPreflight(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * One recorded build and the images it ran, each pinned to a digest.
     *
     * @param label  how people name the build, e.g. {@code team/shop#42}
     * @param images the images, each with a digest; may be empty for a build that ran no images
     */
    public record Build(String label, List<ImageRef> images) {
        public Build {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("build label must not be blank, got '" + label + "'");
            }
            Objects.requireNonNull(images, "images");
            for (ImageRef image : images) {
                if (image == null || image.digest() == null) {
                    throw new IllegalArgumentException("recorded images of build " + label
                            + " must be pinned to a digest, got '" + image + "'");
                }
            }
            images = List.copyOf(images);
        }

        public static Build of(BuildRef build, List<ImageRef> images) {
            return new Build(Objects.requireNonNull(build, "build").toString(), images);
        }
    }

    /** What the check found. */
    public sealed interface Result permits Restorable, Blocked {
        Build target();

        /** Throws {@link DigestPreflightException} with the human reason when the target is blocked. */
        default Build requireRestorable() throws DigestPreflightException {
            if (this instanceof Blocked blocked) {
                throw new DigestPreflightException(blocked);
            }
            return target();
        }
    }

    /** Every digest of the target still exists. */
    public record Restorable(Build target) implements Result {
    }

    /**
     * Some digests of the target are gone.
     *
     * @param missing           the target's images whose digests no longer exist, in recorded order
     * @param nearestRestorable the newest build older than the target whose digests all exist, if any
     */
    public record Blocked(Build target, List<ImageRef> missing, Optional<Build> nearestRestorable)
            implements Result {
        public Blocked {
            Objects.requireNonNull(target, "target");
            missing = List.copyOf(missing);
            if (missing.isEmpty()) {
                throw new IllegalArgumentException("a blocked build must have missing images, got none for "
                        + target.label());
            }
            Objects.requireNonNull(nearestRestorable, "nearestRestorable");
        }

        /** A sentence for the person who asked for the restore. */
        public String reason() {
            String gone = missing.stream()
                    .map(image -> image.name() + "@" + image.digest()
                            + (image.tag() == null ? "" : " (recorded as tag " + image.tag() + ")"))
                    .collect(Collectors.joining(", "));
            String instead = nearestRestorable
                    .map(build -> "the nearest restorable build is " + build.label())
                    .orElse("no earlier recorded build has all its images");
            return "cannot restore build " + target.label() + ": " + (missing.size() == 1 ? "image " : "images ")
                    + gone + (missing.size() == 1 ? " no longer exists" : " no longer exist")
                    + " in the registry; " + instead;
        }
    }

    /**
     * Checks the target build against the registry.
     *
     * @param newestFirst recorded builds, newest first; the target must be among them
     * @param targetLabel the label of the build to restore
     * @throws IllegalArgumentException the target is not recorded, or two builds share a label
     * @throws IOException              the registry could not be asked
     */
    public Result check(List<Build> newestFirst, String targetLabel) throws IOException {
        int targetIndex = indexOf(newestFirst, targetLabel);
        Build target = newestFirst.get(targetIndex);
        Map<ImageRef, Boolean> known = new HashMap<>();
        List<ImageRef> missing = missingImages(target, known);
        if (missing.isEmpty()) {
            return new Restorable(target);
        }
        for (Build older : newestFirst.subList(targetIndex + 1, newestFirst.size())) {
            if (missingImages(older, known).isEmpty()) {
                return new Blocked(target, missing, Optional.of(older));
            }
        }
        return new Blocked(target, missing, Optional.empty());
    }

    /** Same as {@link #check(List, String)} with the label written by {@link BuildRef#toString()}. */
    public Result check(List<Build> newestFirst, BuildRef target) throws IOException {
        return check(newestFirst, Objects.requireNonNull(target, "target").toString());
    }

    private static int indexOf(List<Build> newestFirst, String targetLabel) {
        Objects.requireNonNull(newestFirst, "newestFirst");
        Set<String> seen = new HashSet<>();
        int found = -1;
        for (int i = 0; i < newestFirst.size(); i++) {
            String label = Objects.requireNonNull(newestFirst.get(i), "recorded build").label();
            if (!seen.add(label)) {
                throw new IllegalArgumentException("recorded builds must have distinct labels, got '" + label + "' twice");
            }
            if (label.equals(targetLabel)) {
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("target build '" + targetLabel + "' is not among the recorded builds "
                    + seen.stream().sorted().toList());
        }
        return found;
    }

    // Builds often share images (a sidecar that never changes), so each digest is asked about once.
    private List<ImageRef> missingImages(Build build, Map<ImageRef, Boolean> known) throws IOException {
        List<ImageRef> missing = new ArrayList<>();
        for (ImageRef image : build.images()) {
            ImageRef key = new ImageRef(image.registry(), image.repository(), null, image.digest());
            Boolean exists = known.get(key);
            if (exists == null) {
                exists = registry.exists(image, image.digest());
                known.put(key, exists);
            }
            if (!exists) {
                missing.add(image);
            }
        }
        return missing;
    }
}
