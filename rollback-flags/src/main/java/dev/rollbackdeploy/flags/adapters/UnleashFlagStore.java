package dev.rollbackdeploy.flags.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.flags.FlagState;
import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Unleash's flags in one project and environment, through its Admin API (an admin or a
 * project-scoped API token): {@code GET /api/admin/projects/{project}/features/{flag}} reads the
 * environment's {@code enabled}, {@code POST …/environments/{env}/on|off} switches it (idempotent on
 * Unleash's side too). The token is sent as the {@code Authorization} header and never printed.
 */
public final class UnleashFlagStore implements FlagStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final URI base;
    private final String project;
    private final String environment;
    private final FlagHttp http;

    public UnleashFlagStore(String url, String token, String project, String environment, Duration timeout) {
        this.base = FlagHttp.base("unleash url", url);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("unleash needs an admin API token (from a credential, never in the spec)");
        }
        this.project = name("unleash project", project);
        this.environment = name("unleash environment", environment);
        this.http = new FlagHttp(timeout, Map.of("Authorization", token));
    }

    @Override
    public boolean isEnabled(String flag) throws IOException, InterruptedException {
        FlagHttp.Response response = http.send("GET", feature(flag), null);
        check(flag, response, "read");
        for (JsonNode env : response.json().path("environments")) {
            if (environment.equals(env.path("name").asText())) {
                JsonNode enabled = env.get("enabled");
                if (enabled == null || !enabled.isBoolean()) {
                    throw new IOException("unleash answered for flag '" + flag + "' without a boolean 'enabled' in "
                            + environment + ": " + response.snippet());
                }
                return enabled.booleanValue();
            }
        }
        throw new IOException("flag '" + flag + "' has no environment '" + environment + "' in " + describe()
                + "; is the environment enabled for project " + project + "?");
    }

    @Override
    public void setEnabled(String flag, boolean enabled) throws IOException, InterruptedException {
        URI uri = URI.create(feature(flag) + "/environments/" + environment + (enabled ? "/on" : "/off"));
        check(flag, http.send("POST", uri, null), enabled ? "turn on" : "turn off");
    }

    @Override
    public String describe() {
        return "unleash " + base + " project " + project + ", environment " + environment;
    }

    private URI feature(String flag) {
        return URI.create(base + "/api/admin/projects/" + project + "/features/" + name("flag name", FlagState.requireName(flag)));
    }

    private void check(String flag, FlagHttp.Response response, String action) throws IOException {
        int status = response.status();
        if (status == 404) {
            if (response.body().contains("environment")) {
                throw new IOException("cannot " + action + " flag '" + flag + "': " + describe() + " says "
                        + response.snippet());
            }
            throw new NoSuchFlagException(flag, describe());
        }
        if (status == 401 || status == 403) {
            throw new IOException(describe() + " refused the API token (HTTP " + status + ") to " + action + " flag '"
                    + flag + "'; it needs an admin or project token with update rights");
        }
        if (status / 100 != 2) {
            throw new IOException("cannot " + action + " flag '" + flag + "' in " + describe() + ": HTTP " + status
                    + " " + response.snippet());
        }
    }

    private static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-100 of letters, digits, '.', '_' and '-', got '"
                    + value + "'");
        }
        return value;
    }
}
