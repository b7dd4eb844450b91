package dev.rollbackdeploy.flags.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP both flag adapters speak: JSON in and out, a timeout per request, a secret header that
 * never appears in a message. The JDK's client: no connection pool to tune for a few requests per
 * rollback.
 */
final class FlagHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and body (parsed when it is JSON, else null). */
    record Response(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String snippet() {
            String oneLine = body.replaceAll("\\s+", " ").strip();
            return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> secretHeaders;

    FlagHttp(Duration timeout, Map<String, String> secretHeaders) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 120) {
            throw new IllegalArgumentException("flag store timeout must be 1 ms .. 2 min, got " + timeout);
        }
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.secretHeaders = Map.copyOf(secretHeaders);
    }

    Response send(String method, URI uri, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        secretHeaders.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (HttpTimeoutException e) {
            throw new IOException(method + " " + uri + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new IOException(method + " " + uri + " failed: " + e, e);
        }
    }

    static URI base(String field, String url) {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be an http(s) URL, got '" + url + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
                || uri.getUserInfo() != null || uri.getQuery() != null) {
            throw new IllegalArgumentException(field + " must be an http(s) URL without credentials or query, like "
                    + "https://flags.example.com, got '" + url + "'");
        }
        return uri;
    }
}
