package dev.rollbackdeploy.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium through chromedriver's W3C WebDriver HTTP API (no client library): a fresh
 * profile, flags that keep it off the network, log in through Jenkins' own form, open a page, wait for
 * an element, take a screenshot. Installs chromium and chromium-driver when missing. An alert the page
 * raised makes the next command fail ("unexpected alert open"), so a script injected into a page cannot
 * pass quietly. Used by the plugin's browser tests and by the demo.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final String FLAGS = "\"--headless\",\"--no-sandbox\",\"--disable-gpu\",\"--no-first-run\","
            + "\"--disable-background-networking\",\"--disable-component-update\",\"--disable-sync\","
            + "\"--hide-scrollbars\",\"--window-size=1280,1100\"";
    private static final Pattern VALUE = Pattern.compile("^\\{\"value\":(.*)}$", Pattern.DOTALL);

    private final Process driver;
    private final String base;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private String session;

    private HeadlessChromium(Process driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    public static HeadlessChromium start() throws IOException, InterruptedException {
        DebianPackages.ensure("chromium", "/usr/bin/chromium");
        DebianPackages.ensure("chromium-driver", "/usr/bin/chromedriver");
        int port = LocalServer.freePort();
        Path profile = Files.createTempDirectory("demo-chromium-");
        Process driver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HeadlessChromium browser = new HeadlessChromium(driver, "http://127.0.0.1:" + port, profile);
        try {
            browser.awaitDriver();
            String caps = "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\",\"goog:chromeOptions\":{"
                    + "\"binary\":\"/usr/bin/chromium\",\"args\":[" + FLAGS + ",\"--user-data-dir=" + profile + "\"]}}}}";
            Matcher id = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"").matcher(browser.call("POST", "/session", caps));
            if (!id.find()) {
                throw new IOException("chromedriver made no browser session");
            }
            browser.session = "/session/" + id.group(1);
            return browser;
        } catch (IOException | RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    private void awaitDriver() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            try {
                if (call("GET", "/status", null).contains("\"ready\":true")) {
                    return;
                }
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("chromedriver did not answer on " + base + " within 20 s", notYet);
                }
            }
            Thread.sleep(100);
        }
    }

    /** Logs in through Jenkins' login form (its hidden crumb included), as a person would. */
    public void login(URI jenkins, String user, String password) throws IOException, InterruptedException {
        open(jenkins.resolve("login"));
        script("document.querySelector('input[name=j_username]').value=arguments[0];"
                + "document.querySelector('input[name=j_password]').value=arguments[1];"
                + "document.querySelector('form[name=login]').submit();", user, password);
        awaitScript("return !location.pathname.endsWith('/login') && !location.pathname.includes('j_spring_security_check')"
                + " && document.readyState === 'complete'", "the login of " + user);
        if (script("return location.pathname").contains("loginError")) {
            throw new IOException("Jenkins refused the browser login of " + user);
        }
    }

    /** The window's size, so that a long page fits into one screenshot. */
    public void resize(int width, int height) throws IOException, InterruptedException {
        call("POST", session + "/window/rect", "{\"width\":" + width + ",\"height\":" + height + "}");
    }

    public void open(URI url) throws IOException, InterruptedException {
        call("POST", session + "/url", "{\"url\":\"" + url + "\"}");
    }

    /** Waits until {@code condition} (a script returning a boolean) is true, e.g. an element is present. */
    public void awaitScript(String condition, String what) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!"true".equals(script(condition))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("the browser did not show " + what + " within 30 s; the page says: "
                        + abbreviate(script("return document.body ? document.body.innerText : ''")));
            }
            Thread.sleep(200);
        }
    }

    /** Runs {@code body} (a function body; arguments as strings) and returns the raw JSON value. */
    public String script(String body, String... args) throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder("{\"script\":").append(quote(body)).append(",\"args\":[");
        for (int i = 0; i < args.length; i++) {
            json.append(i == 0 ? "" : ",").append(quote(args[i]));
        }
        Matcher value = VALUE.matcher(call("POST", session + "/execute/sync", json.append("]}").toString()));
        return value.matches() ? value.group(1) : "";
    }

    public void screenshot(Path file) throws IOException, InterruptedException {
        Matcher png = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(call("GET", session + "/screenshot", null));
        if (!png.find()) {
            throw new IOException("chromedriver gave no screenshot for " + file);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png.group(1)));
    }

    private String call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("chromedriver " + method + " " + path + " -> " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return response.body();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (session != null) {
                call("DELETE", session, null);
            }
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
