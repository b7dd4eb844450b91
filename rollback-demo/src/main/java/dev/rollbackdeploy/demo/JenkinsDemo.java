package dev.rollbackdeploy.demo;

import dev.rollbackdeploy.haproxy.HAProxyTrafficRouter;
import dev.rollbackdeploy.local.HeadlessChromium;
import dev.rollbackdeploy.traffic.Weight;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo's story in the real Jenkins: configure the plugin, create the job from demo/Jenkinsfile, run a
 * healthy build (promoted) and a bad one (rolled back by the gate, traffic on stable first, FAILED with
 * the reason), then point at the good build's "Roll back to this build" page — or, with {@code click},
 * take screenshots, press the button over HTTP, check the target, and restore once more from the
 * Pipeline ({@code rollbackTo}: 0 writes).
 */
final class JenkinsDemo {

    static final String JOB = "shop";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);

    /** Where things are; the password comes from the environment, never from the command line. */
    record Settings(Map<String, String> environment, Map<String, String> jenkins, String password, Path jenkinsfile,
            Path work, boolean click) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final long started = System.nanoTime();

    JenkinsDemo(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    void run() throws IOException, InterruptedException {
        URI jenkins = URI.create(settings.jenkins().get("JENKINS_URL"));
        Map<String, String> env = settings.environment();
        step("configuring the plugin as admin (login form, crumb, Jenkins' own APIs)");
        JenkinsSession admin = JenkinsSession.login(jenkins, "admin", settings.password());
        JenkinsSetup setup = new JenkinsSetup(admin, out);
        setup.credentials(HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
        setup.configuration(env);
        setup.job(JOB, Files.readString(settings.jenkinsfile()));

        DemoBuilds builds = new DemoBuilds(admin, JOB, out);
        step("build #1: a healthy release — canary 10% → 50% → 100% under the Prometheus gate (about 30 s)");
        int good = builds.start(Map.of());
        expectResult(builds, good, "SUCCESS", "recorded " + JOB + "#" + good + " as PROMOTED");

        step("build #2: a bad release — the canary servers now answer half their requests with 500");
        fault(env, 0.5);
        int bad;
        try {
            bad = builds.start(Map.of("ROLLBACK_TO", ""));
            expectResult(builds, bad, "FAILURE", "canary weight 0% (canary share 0%) confirmed");
        } finally {
            fault(env, 0);
        }
        String console = builds.console(bad);
        if (console.indexOf("canary weight 0% (canary share 0%) confirmed") > console.indexOf("recorded " + JOB + "#" + bad)) {
            throw new IOException("build #" + bad + " recorded its outcome before traffic was back on stable:\n" + console);
        }
        Weight live = router(env).canaryWeight();
        if (!live.equals(Weight.NONE)) {
            throw new IOException("after the bad build the canary still has weight " + live + "; expected all on stable");
        }
        out.println("check: build #" + bad + " FAILED: " + reason(console) + "; all traffic on stable (canary weight " + live + ")");

        URI page = jenkins.resolve("job/" + JOB + "/" + good + "/rollback/");
        step("the good build's \"Roll back to this build\" page: " + page);
        if (settings.click()) {
            clickAndCheck(jenkins, admin, builds, good);
        }
    }

    private void clickAndCheck(URI jenkins, JenkinsSession admin, DemoBuilds builds, int good)
            throws IOException, InterruptedException {
        Path shots = settings.work().resolve("screenshots");
        step("screenshots in headless Chromium, logged in as admin");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.login(jenkins, "admin", settings.password());
            shot(browser, jenkins.resolve("job/" + JOB + "/" + good + "/"), "document.body.innerText.includes('Deployment record')",
                    shots.resolve("good-build.png"));
            shot(browser, jenkins.resolve("job/" + JOB + "/" + good + "/rollback-record/"),
                    "document.querySelector('#rollback-gate-chart svg') !== null", shots.resolve("good-build-record.png"));
            shot(browser, jenkins.resolve("job/" + JOB + "/" + good + "/rollback/"),
                    "document.querySelector('#rollback-confirm button') !== null", shots.resolve("rollback-page.png"));
            shot(browser, jenkins.resolve("job/" + JOB + "/" + (good + 1) + "/rollback-record/"),
                    "document.querySelector('#rollback-gate-chart svg') !== null", shots.resolve("bad-build-record.png"));

            step("clicking \"Roll back to " + JOB + "#" + good + "\" over HTTP as admin (the page's form, with the crumb)");
            RollbackClick click = new RollbackClick(admin, out);
            out.println("rollback: " + click.click(JOB, good));
            Path records = Path.of(settings.jenkins().get("JENKINS_HOME"), "rollback-deploy", "records");
            Map<String, Integer> served = click.checkTarget(records, JOB + "#" + good,
                    URI.create(settings.environment().get("DEMO_FRONTEND")));
            String version = settings.environment().get("DEMO_CANARY_VERSION");
            if (!served.keySet().equals(java.util.Set.of(version))) {
                throw new IOException("after restoring " + JOB + "#" + good + " every request should be served by " + version
                        + " (what it put live), but: " + served);
            }
            out.println("check: 50 requests through HAProxy, all served by " + version + " " + served);

            step("rollbackTo from the Pipeline (ROLLBACK_TO=" + JOB + "#" + good + "): already live, so 0 writes");
            int again = builds.start(Map.of("ROLLBACK_TO", JOB + "#" + good));
            expectResult(builds, again, "SUCCESS", "with 0 writes");
            shot(browser, jenkins.resolve("job/" + JOB + "/rollback-deployments/"),
                    "document.querySelector('table.rollback-deployments') !== null", shots.resolve("deployments.png"));
        }
    }

    /** Opens the page, waits until it shows {@code ready} and its builds list has loaded, fits it, screenshots it. */
    private void shot(HeadlessChromium browser, URI url, String ready, Path file) throws IOException, InterruptedException {
        browser.resize(1280, 900);
        browser.open(url);
        browser.awaitScript("return document.readyState === 'complete' && " + ready
                + " && !document.body.innerText.includes('Loading builds')", url.toString());
        int height = Integer.parseInt(browser.script("return document.documentElement.scrollHeight").replaceAll("\\D", ""));
        browser.resize(1280, Math.min(Math.max(height + 100, 900), 2400));
        browser.screenshot(file);
        out.println("screenshot: " + file + " (" + url + ")");
    }

    private void expectResult(DemoBuilds builds, int number, String expected, String mustContain)
            throws IOException, InterruptedException {
        String result = builds.follow(number, BUILD_TIMEOUT);
        String console = builds.console(number);
        if (!result.equals(expected) || !console.contains(mustContain)) {
            throw new IOException("build " + JOB + " #" + number + " ended " + result + " (expected " + expected
                    + " with \"" + mustContain + "\"); its console:\n" + console);
        }
        out.println("check: build #" + number + " " + result);
    }

    private static String reason(String console) {
        return console.lines().filter(l -> l.startsWith("ERROR:")).findFirst().orElse("(no ERROR line)");
    }

    private static void fault(Map<String, String> env, double errorRate) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(env.get("DEMO_CONTROL") + "canary/fault?errorRate=" + errorRate))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("the demo environment refused the fault " + errorRate + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static HAProxyTrafficRouter router(Map<String, String> env) {
        return DemoEnvironment.router(env.get("DEMO_HAPROXY_SOCKET"), env.get("DEMO_HAPROXY_BACKEND"));
    }

    private void step(String text) {
        out.println();
        out.printf("== [%3ds] %s%n", (System.nanoTime() - started) / 1_000_000_000L, text);
    }
}
