package dev.rollbackdeploy.flags.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.flags.FlagState;
import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.NoSuchFlagException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Flags behind any HTTP service that follows this small contract (for in-house flag systems):
 * {@code GET <url>/<flag>} answers {@code 200 {"enabled": true|false}} or {@code 404} for an unknown
 * flag; {@code PUT <url>/<flag>} with {@code {"enabled": false}} sets it and answers 2xx, and setting
 * the state a flag already has is not an error. An optional bearer token is sent, never printed.
 */
public final class WebhookFlagStore implements FlagStore {

    private final URI base;
    private final FlagHttp http;

    /** @param bearerToken sent as {@code Authorization: Bearer …}, or null */
    public WebhookFlagStore(String url, String bearerToken, Duration timeout) {
        this.base = FlagHttp.base("flag webhook url", url);
        this.http = new FlagHttp(timeout, bearerToken == null ? Map.of() : Map.of("Authorization", "Bearer " + bearerToken));
    }

    @Override
    public boolean isEnabled(String flag) throws IOException, InterruptedException {
        FlagHttp.Response response = http.send("GET", uri(flag), null);
        check(flag, response, "read");
        JsonNode enabled;
        try {
            enabled = response.json().get("enabled");
        } catch (IOException e) {
            enabled = null;
        }
        if (enabled == null || !enabled.isBoolean()) {
            throw new IOException("flag webhook " + base + " must answer {\"enabled\": true|false} for flag '" + flag
                    + "', got: " + response.snippet());
        }
        return enabled.booleanValue();
    }

    @Override
    public void setEnabled(String flag, boolean enabled) throws IOException, InterruptedException {
        check(flag, http.send("PUT", uri(flag), "{\"enabled\":" + enabled + "}"), enabled ? "turn on" : "turn off");
    }

    @Override
    public String describe() {
        return "flag webhook " + base;
    }

    private URI uri(String flag) {
        return URI.create(base + "/" + FlagState.requireName(flag));
    }

    private void check(String flag, FlagHttp.Response response, String action) throws IOException {
        if (response.status() == 404) {
            throw new NoSuchFlagException(flag, describe());
        }
        if (response.status() / 100 != 2) {
            throw new IOException("cannot " + action + " flag '" + flag + "' at " + describe() + ": HTTP "
                    + response.status() + " " + response.snippet());
        }
    }
}
