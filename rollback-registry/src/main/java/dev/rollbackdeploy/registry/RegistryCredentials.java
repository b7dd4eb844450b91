package dev.rollbackdeploy.registry;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Logins per registry host, as the image reference names the host ({@code docker.io},
 * {@code ghcr.io}, {@code localhost:5000}). Immutable; {@link #toString()} never shows a password.
 */
public final class RegistryCredentials {

    /** A username and password (or access token used as password). The password never leaves through toString. */
    public record Login(String username, String password) {
        public Login {
            if (username == null || username.isBlank() || username.indexOf(':') >= 0) {
                // Basic auth joins user and password with ':'; a colon in the user would split wrongly.
                throw new IllegalArgumentException("registry username must be non-blank without ':', got '"
                        + username + "'");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("registry password for user '" + username + "' must not be empty");
            }
        }

        @Override
        public String toString() {
            return "Login[username=" + username + ", password=****]";
        }
    }

    private static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

    private final Map<String, Login> byRegistry;

    private RegistryCredentials(Map<String, Login> byRegistry) {
        // Sorted so toString is stable; Map.copyOf would scramble the order.
        this.byRegistry = Collections.unmodifiableSortedMap(new TreeMap<>(byRegistry));
    }

    public static RegistryCredentials none() {
        return NONE;
    }

    /** @param byRegistry registry host (as in image references) to login */
    public static RegistryCredentials of(Map<String, Login> byRegistry) {
        Map<String, Login> normalized = new TreeMap<>();
        byRegistry.forEach((registry, login) -> {
            if (login == null) {
                throw new IllegalArgumentException("registry login for '" + registry + "' must not be null");
            }
            if (normalized.put(normalize(registry), login) != null) {
                throw new IllegalArgumentException("registry '" + registry + "' has two logins");
            }
        });
        return new RegistryCredentials(normalized);
    }

    /** A copy that also (or instead) logs in to this registry. */
    public RegistryCredentials with(String registry, Login login) {
        Map<String, Login> copy = new TreeMap<>(byRegistry);
        copy.put(normalize(registry), Objects.requireNonNull(login, "login"));
        return new RegistryCredentials(copy);
    }

    public Optional<Login> lookup(String registry) {
        return Optional.ofNullable(byRegistry.get(normalize(registry)));
    }

    // Docker Hub answers under three names; a login saved under any of them applies to all.
    private static String normalize(String registry) {
        if (registry == null || registry.isBlank()) {
            throw new IllegalArgumentException("registry host must not be blank, got '" + registry + "'");
        }
        String host = registry.strip().toLowerCase(Locale.ROOT);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }

    @Override
    public String toString() {
        return byRegistry.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().username() + ":****")
                .collect(Collectors.joining(", ", "RegistryCredentials[", "]"));
    }
}
