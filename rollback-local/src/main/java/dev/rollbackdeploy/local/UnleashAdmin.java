package dev.rollbackdeploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flags in a {@link LocalUnleash}, created, switched on and read back through its Admin API as a person
 * would (project {@code default}), for tests that then let the product turn them off. Not the product's
 * adapter ({@code UnleashFlagStore}): this is the person on the other side.
 */
public final class UnleashAdmin {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final String baseUrl;

    public UnleashAdmin(LocalUnleash unleash) {
        this.baseUrl = unleash.baseUrl();
    }

    /** A new flag ({@code release-N}, type kill-switch), on in production. */
    public String createOn() throws IOException, InterruptedException {
        String name = "release-" + NEXT.incrementAndGet();
        send("POST", "/api/admin/projects/default/features", "{\"name\":\"" + name + "\",\"type\":\"kill-switch\"}");
        turnOn(name);
        return name;
    }

    /** Turns the flag on in production. */
    public void turnOn(String flag) throws IOException, InterruptedException {
        send("POST", "/api/admin/projects/default/features/" + flag + "/environments/production/on", null);
    }

    public boolean enabledInProduction(String flag) throws IOException, InterruptedException {
        return enabledIn(flag, "production");
    }

    /** Whether the flag is on in the environment, as Unleash answers now. */
    public boolean enabledIn(String flag, String environment) throws IOException, InterruptedException {
        JsonNode body = JSON.readTree(send("GET", "/api/admin/projects/default/features/" + flag, null));
        for (JsonNode env : body.path("environments")) {
            if (env.path("name").asText().equals(environment)) {
                return env.path("enabled").asBoolean();
            }
        }
        throw new IllegalStateException("Unleash has no environment '" + environment + "' for flag " + flag + ": " + body);
    }

    private String send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", LocalUnleash.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Unleash answered " + method + " " + path + " with HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }
}
