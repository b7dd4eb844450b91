package dev.rollbackdeploy.image;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference in the grammar of the distribution project's {@code reference}
 * package: {@code [host[:port]/]path[:tag][@digest]}, with Docker Hub's defaults applied (no host
 * means {@code docker.io}; a one-component path on Docker Hub gets {@code library/}; neither tag nor
 * digest means tag {@code latest}). Always fully qualified once parsed, so two spellings of the same
 * image compare equal.
 *
 * @param registry   host and optional port, e.g. {@code docker.io}, {@code localhost:5000}
 * @param repository the path, e.g. {@code library/nginx}
 * @param tag        the tag, or null when the reference names a digest only
 * @param digest     the digest, or null when the reference names a tag only
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final int MAX_NAME_LENGTH = 255;
    // host: DNS-ish components, an IPv4 address, or a bracketed IPv6 address; optional port.
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    public ImageRef {
        if (registry == null || !REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("image registry must be host[:port], got '" + registry + "'");
        }
        if (repository == null || repository.isEmpty()) {
            throw new IllegalArgumentException("image repository must not be empty, got '" + repository + "'");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("image path component '" + component + "' in '" + repository
                        + "' must be lowercase letters and digits joined by '.', '_', '__' or '-'");
            }
        }
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("image name must be at most " + MAX_NAME_LENGTH
                    + " characters, got " + (registry.length() + 1 + repository.length()));
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("image tag must be 1-128 of [A-Za-z0-9_.-] not starting with '.' or '-', got '"
                    + tag + "'");
        }
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("image reference needs a tag or a digest: " + registry + "/" + repository);
        }
    }

    /**
     * Parses a reference as a user writes it ({@code nginx}, {@code nginx:1.25},
     * {@code ghcr.io/acme/shop@sha256:…}, {@code localhost:5000/app:v2@sha256:…}).
     *
     * @throws IllegalArgumentException naming the reference and what is wrong with it
     */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("image reference must not be empty, got '" + text + "'");
        }
        if (!text.equals(text.strip())) {
            throw new IllegalArgumentException("image reference must not have surrounding spaces, got '" + text + "'");
        }
        try {
            return parseTrimmed(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid image reference '" + text + "': " + e.getMessage(), e);
        }
    }

    private static ImageRef parseTrimmed(String text) {
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int firstSlash = rest.indexOf('/');
        if (firstSlash >= 0) {
            String first = rest.substring(0, firstSlash);
            // Docker's rule: the first component is a host if it has a dot or a port, or is localhost,
            // or has an upper-case letter (which a path component cannot have).
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(java.util.Locale.ROOT))) {
                registry = first;
                repository = rest.substring(firstSlash + 1);
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, repository, tag, digest);
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public Optional<String> tagIfAny() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digestIfAny() {
        return Optional.ofNullable(digest);
    }

    /** The same image pinned to this digest; the tag is kept for readers (runtimes ignore it). */
    public ImageRef withDigest(Digest pinned) {
        return new ImageRef(registry, repository, tag, Objects.requireNonNull(pinned, "digest"));
    }

    /** The fully qualified reference, e.g. {@code docker.io/library/nginx:1.25@sha256:…}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name());
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }
}
