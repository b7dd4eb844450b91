package dev.rollbackdeploy.jenkins.real;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user's REST client for the real Jenkins: basic auth with the user's API token, and the CSRF crumb
 * (with the session cookie it belongs to) on every POST, as a script that followed Jenkins' advice would.
 */
public final class JenkinsRest {

    /** An HTTP answer: status, body, and the Location header of a redirect (null otherwise). */
    public record Response(int status, String body, String location) {
    }

    private static final Pattern CRUMB = Pattern.compile("\"crumb\"\\s*:\\s*\"([^\"]+)\".*\"crumbRequestField\"\\s*:\\s*\"([^\"]+)\"");

    private final String base;
    private final String authorization;
    private final HttpClient http;

    JenkinsRest(String base, String user, String token) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** POST with the crumb; {@code contentType} null sends an empty form. */
    public Response post(String path, String contentType, String body) throws IOException, InterruptedException {
        Response crumb = get("crumbIssuer/api/json");
        Matcher m = CRUMB.matcher(crumb.body());
        if (crumb.status() != 200 || !m.find()) {
            throw new IOException("no crumb from " + base + "crumbIssuer/api/json: " + crumb.status() + " " + crumb.body());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header(m.group(2), m.group(1))
                .header("Content-Type", contentType == null ? "application/x-www-form-urlencoded" : contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        return send(request);
    }

    /** Creates (or replaces) a Pipeline job running this script in the Groovy sandbox. */
    public void createPipeline(String name, String script) throws IOException, InterruptedException {
        String xml = "<?xml version='1.1' encoding='UTF-8'?><flow-definition plugin=\"workflow-job\">"
                + "<definition class=\"org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition\" plugin=\"workflow-cps\">"
                + "<script>" + escapeXml(script) + "</script><sandbox>true</sandbox></definition></flow-definition>";
        Response exists = get("job/" + name + "/api/json");
        Response r = exists.status() == 200 ? post("job/" + name + "/config.xml", "application/xml", xml)
                : post("createItem?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), "application/xml", xml);
        if (r.status() != 200) {
            throw new IOException("creating job " + name + " answered " + r.status() + ": " + r.body());
        }
    }

    /** Schedules a build and returns its number once it has started. */
    public int startBuild(String job, Duration timeout) throws IOException, InterruptedException {
        int next = Integer.parseInt(field(get("job/" + job + "/api/json?tree=nextBuildNumber").body(), "nextBuildNumber"));
        Response r = post("job/" + job + "/build?delay=0sec", null, null);
        if (r.status() != 201) {
            throw new IOException("build of " + job + " answered " + r.status() + ": " + r.body());
        }
        Instant deadline = Instant.now().plus(timeout);
        while (get("job/" + job + "/" + next + "/api/json?tree=number").status() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("build " + job + " #" + next + " did not start within " + timeout);
            }
            Thread.sleep(250);
        }
        return next;
    }

    /** Waits until the build has a result and returns it (SUCCESS, FAILURE, ABORTED, ...). */
    public String awaitResult(String job, int number, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            String body = get("job/" + job + "/" + number + "/api/json?tree=result,building").body();
            String result = field(body, "result");
            if (result != null && !"null".equals(result) && body.contains("\"building\":false")) {
                return result;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("build " + job + " #" + number + " has no result after " + timeout + ":\n"
                        + console(job, number));
            }
            Thread.sleep(500);
        }
    }

    public String console(String job, int number) throws IOException, InterruptedException {
        return get("job/" + job + "/" + number + "/consoleText").body();
    }

    /** A top-level string or number field of a JSON object, without a JSON library on this class path. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\"([^\"]*)\"|[^,}\\]]+)").matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1).strip();
    }

    private URI uri(String path) {
        return URI.create(base + (path.startsWith("/") ? path.substring(1) : path));
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(null));
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
