package dev.rollbackdeploy.prometheus;

import java.util.Objects;

/**
 * How requests to Prometheus authenticate. The secret parts never appear in {@code toString()} or in
 * any validation message, so a config can be logged safely.
 */
public sealed interface PrometheusAuth {

    static PrometheusAuth none() {
        return None.INSTANCE;
    }

    static PrometheusAuth bearer(String token) {
        return new Bearer(token);
    }

    static PrometheusAuth basic(String user, String password) {
        return new Basic(user, password);
    }

    /** No Authorization header. */
    record None() implements PrometheusAuth {
        static final None INSTANCE = new None();
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements PrometheusAuth {
        public Bearer {
            requireHeaderSafe("token", token);
        }

        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /** {@code Authorization: Basic base64(user:password)} (RFC 7617). */
    record Basic(String user, String password) implements PrometheusAuth {
        public Basic {
            Objects.requireNonNull(user, "user");
            if (user.isBlank() || user.contains(":") || hasControl(user)) {
                // The user name is not secret, but keep it out anyway: people paste "user:password" here.
                throw new IllegalArgumentException(
                        "user must be non-blank, without ':' or control characters (RFC 7617)");
            }
            requireHeaderSafe("password", password);
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + ", password=***]";
        }
    }

    private static void requireHeaderSafe(String field, String secret) {
        Objects.requireNonNull(secret, field);
        // The value itself is never quoted: it is a secret.
        if (secret.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (hasControl(secret)) {
            throw new IllegalArgumentException(field + " must not contain line breaks or control characters");
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
