package dev.rollbackdeploy.jenkins.ui;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Debian Chromium driven through chromedriver's W3C WebDriver HTTP API (no client library): a fresh
 * profile, the flags that keep it off the network, navigate, run a script, read the DOM, take a screenshot.
 * An alert the page raised makes the next command fail ("unexpected alert open"), so XSS cannot pass quietly.
 */
final class Chromium implements AutoCloseable {

    private static final String FLAGS = "\"--headless\",\"--no-sandbox\",\"--disable-gpu\",\"--no-first-run\","
            + "\"--disable-background-networking\",\"--disable-component-update\",\"--disable-sync\","
            + "\"--window-size=1280,1400\"";

    private final Process driver;
    private final String base;
    private final String session;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();

    private Chromium(Process driver, String base, Path profile) throws IOException, InterruptedException {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
        String caps = "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\",\"goog:chromeOptions\":{"
                + "\"binary\":\"/usr/bin/chromium\",\"args\":[" + FLAGS + ",\"--user-data-dir=" + profile + "\"]}}}}";
        String created = call("POST", "/session", caps);
        Matcher id = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!id.find()) {
            throw new IOException("chromedriver made no session: " + created);
        }
        session = "/session/" + id.group(1);
    }

    static Chromium start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path profile = Files.createTempDirectory("chromium-profile-");
        Process driver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        Instant deadline = Instant.now().plusSeconds(20);
        HttpClient probe = HttpClient.newHttpClient();
        while (true) {
            try {
                if (probe.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"ready\":true")) {
                    break;
                }
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    driver.destroyForcibly();
                    throw new IOException("chromedriver did not answer on port " + port + " within 20 s", notYet);
                }
            }
            Thread.sleep(100);
        }
        return new Chromium(driver, base, profile);
    }

    void open(String url) throws IOException, InterruptedException {
        call("POST", session + "/url", "{\"url\":\"" + url + "\"}");
    }

    /** Runs {@code script} (a function body) in the page and returns the raw JSON "value". */
    String script(String script) throws IOException, InterruptedException {
        String body = "{\"script\":\"" + script.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"args\":[]}";
        String answer = call("POST", session + "/execute/sync", body);
        return answer.replaceAll("(?s)^\\{\"value\":(.*)}$", "$1");
    }

    /** Logs in through Jenkins' own form (its hidden crumb field included), as a person would. */
    void login(String jenkins, String user, String password) throws IOException, InterruptedException {
        open(jenkins + "login");
        script("document.querySelector('input[name=j_username]').value='" + user + "';"
                + "document.querySelector('input[name=j_password]').value='" + password + "';"
                + "document.querySelector('form[name=login]').submit();");
        Thread.sleep(1500);
    }

    void screenshot(Path file) throws IOException, InterruptedException {
        String answer = call("GET", session + "/screenshot", null);
        Matcher png = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
        if (!png.find()) {
            throw new IOException("no screenshot: " + answer.substring(0, Math.min(300, answer.length())));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png.group(1)));
    }

    private String call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            call("DELETE", session, null);
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
