package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.image.Digest;
import dev.rollbackdeploy.image.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Pins every container image of a release to a digest, so that what is recorded is exactly what
 * runs (a tag can move; a digest cannot). Covers containers, initContainers and ephemeralContainers
 * of every pod spec {@link PodTemplates} finds: a Pod's, and every pod template in any kind
 * (Deployment, CronJob, an Argo Rollout or the jobs of an AnalysisTemplate, any custom resource).
 *
 * <p>The resolver is asked about the image without its digest when it has a tag (the tag is what
 * may have moved), and about the image as written when it names only a digest. An image already
 * carrying a digest must get that same digest back. Each image becomes
 * {@code ImageRef.withDigest(digest).toString()}, fully qualified, e.g.
 * {@code docker.io/library/nginx:1.25@sha256:…}.
 */
public final class ImagePinner {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ManifestLimits REPARSE = ManifestLimits.DEFAULTS
            .withMaxNestingDepth(ManifestLimits.NESTING_CEILING);

    private ImagePinner() {
    }

    /** Every container of every pod spec in the set with the image it names, in key order. */
    public static List<ContainerImage> images(ManifestSet set) {
        List<ContainerImage> found = new ArrayList<>();
        for (CanonicalObject object : set.objects()) {
            if (!mayHavePodSpec(object)) {
                continue;
            }
            PodTemplates.forEachContainer(object.key(), tree(object),
                    (podSpec, list, index, container) -> found.add(new ContainerImage(
                            workloadRef(object.key(), podSpec, list, index, container),
                            imageOf(object.key(), podSpec, list, index, container))));
        }
        return List.copyOf(found);
    }

    /**
     * Pins from a table of what tags resolved to ({@code record --digests}, a spec's digests file),
     * which lists only the images the manifests leave unpinned: an image already pinned there and
     * absent from the table keeps its digest; one the table contradicts is refused as with a resolver.
     */
    public static ManifestSet pin(ManifestSet set, Map<ImageRef, Digest> digests) {
        Objects.requireNonNull(digests, "digests");
        return pin(set, digests::get, true);
    }

    /**
     * @param resolver answers the digest for an image, or null when it does not know it
     * @return a new set with every workload image pinned and hashes recomputed
     * @throws ManifestException naming object, container and image when the resolver cannot answer
     *                           or contradicts a digest already in the manifest
     */
    public static ManifestSet pin(ManifestSet set, Function<ImageRef, Digest> resolver) {
        return pin(set, resolver, false);
    }

    private static ManifestSet pin(ManifestSet set, Function<ImageRef, Digest> resolver, boolean keepWrittenPins) {
        Objects.requireNonNull(resolver, "resolver");
        List<CanonicalObject> pinned = new ArrayList<>(set.size());
        for (CanonicalObject object : set.objects()) {
            if (!mayHavePodSpec(object)) {
                pinned.add(object);
                continue;
            }
            JsonNode root = tree(object);
            PodTemplates.forEachContainer(object.key(), root,
                    (podSpec, list, index, container) -> pinContainer(object.key(), podSpec, list, index, container,
                            resolver, keepWrittenPins));
            String json = new String(Canonicalizer.canonicalBytes(root), StandardCharsets.UTF_8);
            pinned.add(CanonicalObject.of(object.key(), object.apiVersion(), json));
        }
        return ManifestSet.of(pinned);
    }

    /** Cheap filter before parsing: a pod spec is a Pod's spec or sits under a "template" field. */
    private static boolean mayHavePodSpec(CanonicalObject object) {
        return object.key().kind().equals("Pod") || object.canonicalJson().contains("\"template\":");
    }

    private static void pinContainer(ObjectKey key, String podSpec, String list, int index, ObjectNode container,
            Function<ImageRef, Digest> resolver, boolean keepWrittenPins) {
        WorkloadRef where = workloadRef(key, podSpec, list, index, container);
        ImageRef image = imageOf(key, podSpec, list, index, container);
        ImageRef asked = image.tagIfAny().isPresent() && image.digestIfAny().isPresent()
                ? new ImageRef(image.registry(), image.repository(), image.tag(), null) : image;
        Digest digest = resolver.apply(asked);
        if (digest == null && keepWrittenPins) {
            digest = image.digestIfAny().orElse(null);
        }
        if (digest == null) {
            throw new ManifestException(where + " (" + list + "): image '" + container.get("image").textValue()
                    + "' is not resolved to a digest (asked for " + asked + ")");
        }
        if (image.digestIfAny().isPresent() && !image.digest().equals(digest)) {
            throw new ManifestException(where + " (" + list + "): image '" + container.get("image").textValue()
                    + "' is pinned to " + image.digest() + " but " + asked + " resolves to " + digest);
        }
        container.put("image", image.withDigest(digest).toString());
    }

    private static WorkloadRef workloadRef(ObjectKey key, String podSpec, String list, int index,
            ObjectNode container) {
        JsonNode name = container.get("name");
        String where = key + ": " + (podSpec.isEmpty() ? "" : podSpec + ".") + list + "[" + index + "]";
        if (name == null || !name.isTextual()) {
            throw new ManifestException(where + " has no name");
        }
        try {
            return new WorkloadRef(key, podSpec, name.textValue());
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + ": " + e.getMessage(), e);
        }
    }

    private static ImageRef imageOf(ObjectKey key, String podSpec, String list, int index, ObjectNode container) {
        JsonNode image = container.get("image");
        String where = key + " " + (podSpec.isEmpty() ? "" : podSpec + ".") + list + "[" + index + "] '"
                + container.path("name").asText() + "'";
        if (image == null || !image.isTextual()) {
            throw new ManifestException(where + ": missing image");
        }
        try {
            return ImageRef.parse(image.textValue());
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + ": " + e.getMessage(), e);
        }
    }

    static JsonNode tree(CanonicalObject object) {
        try (JsonParser parser = JSON.createParser(object.canonicalJson())) {
            parser.nextToken();
            return TreeBuilder.document(parser, REPARSE, object.key().toString(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException("canonical JSON of " + object.key() + " must parse", e);
        }
    }
}
