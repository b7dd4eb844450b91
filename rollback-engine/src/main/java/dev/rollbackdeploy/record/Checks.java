package dev.rollbackdeploy.record;

import java.net.URI;
import java.util.Locale;

/** Validation shared by the record's value types; every message quotes the field and the value. */
final class Checks {

    private Checks() {
    }

    /** A single-line name: not blank, no surrounding spaces, no control characters, bounded. */
    static String name(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, got " + quote(value));
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters, got "
                    + value.length() + " ('" + value.substring(0, 40) + "…')");
        }
        if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field
                    + " must have no surrounding spaces or control characters, got " + quote(value));
        }
        return value;
    }

    /**
     * A credentials id as Jenkins stores it. Only the id is recorded, never the secret, so the id may
     * be quoted; whitespace is refused because a pasted secret or a token with a scheme has it.
     */
    static String credentialsId(String field, String value) {
        name(field, value, 256);
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(field + " must be a Jenkins credentials id without spaces, got "
                    + quote(value));
        }
        return value;
    }

    /** An absolute http(s) URL with a host and without user info (a password would be a leaked secret). */
    static URI httpUrl(String field, URI value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be an http(s) URL, got null");
        }
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(field + " must be an http or https URL, got '" + redacted(value) + "'");
        }
        endpoint(field, value);
        return value;
    }

    /** An absolute URI naming a host (or a unix socket path), without user info. */
    static URI endpoint(String field, URI value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be an absolute URI, got null");
        }
        if (value.getRawUserInfo() != null) {
            // Quoting user info could print a password: show where it was, not what it was.
            throw new IllegalArgumentException(field + " must not carry user info (use a credentials id), got '"
                    + redacted(value) + "'");
        }
        boolean unixSocket = "unix".equalsIgnoreCase(value.getScheme()) && value.getPath() != null
                && !value.getPath().isEmpty();
        if (!value.isAbsolute() || (value.getHost() == null && !unixSocket)) {
            throw new IllegalArgumentException(field + " must be an absolute URI with a host, got '" + value + "'");
        }
        return value;
    }

    static String redacted(URI value) {
        if (value.getRawUserInfo() == null) {
            return value.toString();
        }
        return value.toString().replace(value.getRawUserInfo() + "@", "***@");
    }

    static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
