package dev.rollbackdeploy.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's session with Jenkins: logged in through its own login form (session cookie, no API token),
 * and every POST carrying the CSRF crumb that belongs to that session — the crumb issuer's, as a header
 * for API calls, or as the {@code Jenkins-Crumb} form field, as a page's form sends it.
 */
final class JenkinsSession {

    private static final Pattern CRUMB_JSON = Pattern.compile("\"crumb\"\\s*:\\s*\"([^\"]+)\".*\"crumbRequestField\"\\s*:\\s*\"([^\"]+)\"");
    // the login form's hidden crumb field, or the page head's data-crumb-value (attribute order varies)
    private static final Pattern CRUMB_FIELD = Pattern.compile(
            "<input[^>]*name=\"Jenkins-Crumb\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"Jenkins-Crumb\""
                    + "|data-crumb-value=\"([^\"]+)\"");

    /** An HTTP answer; {@code location} is the redirect target or empty. */
    record Response(int status, String body, String location, java.net.http.HttpHeaders headers) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    private JenkinsSession(URI base) {
        this.base = base;
    }

    /**
     * Logs in as {@code user} through {@code /login} and {@code /j_spring_security_check}.
     *
     * @throws IOException naming the user when Jenkins refuses the login
     */
    static JenkinsSession login(URI base, String user, String password) throws IOException, InterruptedException {
        JenkinsSession session = new JenkinsSession(base);
        Response page = session.get("login");
        Matcher crumb = CRUMB_FIELD.matcher(page.body());
        String form = "j_username=" + encode(user) + "&j_password=" + encode(password) + "&from=%2F"
                + (crumb.find() ? "&Jenkins-Crumb=" + encode(firstGroup(crumb)) : "");
        Response answer = session.send(HttpRequest.newBuilder(session.uri("j_spring_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        Response who = session.get("whoAmI/api/json");
        if (answer.location().contains("loginError") || !who.body().contains("\"name\":\"" + user + "\"")) {
            throw new IOException("Jenkins at " + base + " refused the login of " + user + " (" + answer.status() + " "
                    + answer.location() + "); whoAmI says " + who.body());
        }
        return session;
    }

    private static String firstGroup(Matcher m) {
        for (int i = 1; i <= m.groupCount(); i++) {
            if (m.group(i) != null) {
                return m.group(i);
            }
        }
        return "";
    }

    URI base() {
        return base;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A POST with the session's crumb as a header; {@code contentType} null sends an empty form. */
    Response post(String path, String contentType, String body) throws IOException, InterruptedException {
        String[] crumb = crumb();
        return send(HttpRequest.newBuilder(uri(path)).header(crumb[1], crumb[0])
                .header("Content-Type", contentType == null ? "application/x-www-form-urlencoded" : contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)));
    }

    /** A form's POST as the browser sends it: its fields plus the {@code Jenkins-Crumb} field. */
    Response submitForm(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String[] crumb = crumb();
        String form = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        form = (form.isEmpty() ? "" : form + "&") + encode(crumb[1]) + "=" + encode(crumb[0]);
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** {crumb, field name} for this session. */
    private String[] crumb() throws IOException, InterruptedException {
        Response answer = get("crumbIssuer/api/json");
        Matcher m = CRUMB_JSON.matcher(answer.body());
        if (answer.status() != 200 || !m.find()) {
            throw new IOException("no crumb from " + base + "crumbIssuer/api/json: " + answer.status() + " " + answer.body());
        }
        return new String[] {m.group(1), m.group(2)};
    }

    URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(""),
                response.headers());
    }
}
