package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import dev.rollbackdeploy.operations.DigestPins;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --digests}: a YAML map from image reference to the digest its tag resolved to, for runs
 * without a registry (the local example), read by the front door's {@link DigestPins} (the spec's
 * {@code target.kubernetes.digests} is the same file); its problems become exit 2.
 */
final class DigestsFile {

    private DigestsFile() {
    }

    static Map<ImageRef, Digest> read(Path file) throws CliException {
        try {
            return DigestPins.read(file);
        } catch (IllegalArgumentException e) {
            String what = e.getMessage();
            throw new CliException(ExitCode.USAGE, "digests file " + file + (what.startsWith("entry ") ? ", " : " ") + what, e);
        }
    }

    /** An example line for an image that needs an entry. */
    static String exampleLine(ImageRef image) {
        return image + ": sha256:<64 hex digits>";
    }
}
