package dev.rollbackdeploy.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI distribution spec writes it: {@code algorithm:hex}. Only the two
 * registered algorithms are accepted, with their exact lengths, so a truncated or mistyped digest is
 * refused at the door instead of failing later at a registry.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new IllegalArgumentException("digest must be algorithm:hex, got null");
        }
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException(
                    "digest algorithm must be sha256 or sha512, got '" + algorithm + "'");
        };
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("digest " + algorithm + " must be " + expected
                    + " lowercase hex characters, got '" + hex + "' (" + hex.length() + " characters)");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("digest must be algorithm:hex, got null");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("digest must be algorithm:hex, got '" + text + "'");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The SHA-256 digest of these bytes. */
    public static Digest sha256Of(byte[] bytes) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Digest("sha256", HexFormat.of().formatHex(sum));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
