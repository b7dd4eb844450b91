package dev.rollbackdeploy.manifest;

import dev.rollbackdeploy.image.Digest;

/** SHA-256 over canonical bytes: of one object, or of a whole template set. */
public record TemplateHash(Digest digest) {

    public TemplateHash {
        if (digest == null || !digest.algorithm().equals("sha256")) {
            throw new IllegalArgumentException("template hash must be a sha256 digest, got " + digest);
        }
    }

    public static TemplateHash of(byte[] canonicalBytes) {
        return new TemplateHash(Digest.sha256Of(canonicalBytes));
    }

    public static TemplateHash parse(String text) {
        return new TemplateHash(Digest.parse(text));
    }

    @Override
    public String toString() {
        return digest.toString();
    }
}
