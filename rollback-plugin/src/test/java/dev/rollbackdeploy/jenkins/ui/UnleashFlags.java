package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.local.LocalUnleash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/** Flags in a test's real Unleash, created and read through its Admin API as a person would (default project, production). */
public final class UnleashFlags {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final String baseUrl;

    public UnleashFlags(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A new flag, on in production. */
    public String createOn() throws Exception {
        String name = "release-" + NEXT.incrementAndGet();
        send("POST", "/api/admin/projects/default/features", "{\"name\":\"" + name + "\",\"type\":\"kill-switch\"}");
        turnOn(name);
        return name;
    }

    public void turnOn(String flag) throws Exception {
        send("POST", "/api/admin/projects/default/features/" + flag + "/environments/production/on", null);
    }

    public boolean enabledInProduction(String flag) throws Exception {
        JsonNode body = new ObjectMapper().readTree(send("GET", "/api/admin/projects/default/features/" + flag, null));
        for (JsonNode env : body.path("environments")) {
            if (env.path("name").asText().equals("production")) {
                return env.path("enabled").asBoolean();
            }
        }
        throw new AssertionError("no production environment in " + body);
    }

    private String send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", LocalUnleash.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 201);
        return response.body();
    }
}
