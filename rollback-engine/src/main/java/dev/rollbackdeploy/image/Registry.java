package dev.rollbackdeploy.image;

import java.io.IOException;

/**
 * An OCI registry, seen from the engine: it turns tags into digests and says whether a digest can
 * still be pulled. Both calls only read, so both are idempotent and safe to retry.
 */
public interface Registry {

    /**
     * The digest the reference's tag points at now (or the reference's own digest, checked to exist).
     *
     * @throws ImageNotFoundException the repository, tag or digest does not exist
     * @throws IOException            the registry could not be asked (network, auth, server error)
     */
    Digest resolve(ImageRef image) throws IOException;

    /**
     * Whether the manifest with this digest still exists in the image's repository.
     *
     * @throws IOException the registry could not be asked; "no" is never a substitute for "don't know"
     */
    boolean exists(ImageRef image, Digest digest) throws IOException;
}
