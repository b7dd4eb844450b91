package dev.rollbackdeploy.restore;

import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.util.List;
import java.util.Objects;

/**
 * A restore that passed its checks and was planned against the live target; nothing has been
 * written yet. Run {@link #plan()} with a {@link dev.rollbackdeploy.plan.PlanExecutor}.
 *
 * @param record the build being restored, as recorded
 * @param plan   what putting it back takes, given the target as observed after the checks
 * @param images what was known about the record's images when it was planned
 */
public record PreparedRestore(DeploymentRecord record, Plan plan, ImageCheck images) {

    public PreparedRestore {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(images, "images");
    }

    /** Whether the record's image digests were confirmed to exist, for the shell to report. */
    public sealed interface ImageCheck permits Verified, NotChecked {
        /** One line for the build log. */
        String describe();
    }

    /** Every digest the restore will pull exists in its registry (possibly none: the record ran no images). */
    public record Verified(List<ImageRef> images) implements ImageCheck {
        public Verified {
            images = List.copyOf(images);
        }

        @Override
        public String describe() {
            return images.isEmpty() ? "the record pins no images" : images.size() + " image digest(s) checked: all present";
        }
    }

    /** The digests were not checked; the restore may still stop in ImagePullBackOff. */
    public record NotChecked(List<ImageRef> images, String reason) implements ImageCheck {
        public NotChecked {
            images = List.copyOf(images);
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an unchecked image list needs a reason, got '" + reason + "'");
            }
        }

        @Override
        public String describe() {
            return images.size() + " image digest(s) NOT checked: " + reason;
        }
    }
}
