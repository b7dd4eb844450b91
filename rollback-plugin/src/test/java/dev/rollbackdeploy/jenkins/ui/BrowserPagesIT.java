package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.jenkins.real.RealJenkins;
import dev.rollbackdeploy.local.HeadlessChromium;
import dev.rollbackdeploy.local.LocalHAProxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build page, the rollback page, the Deployments page and its audit page of a real Jenkins (the packaged .hpi,
 * matrix-auth) in headless Chromium, logged in through Jenkins' own form as {@code user} (Job/Build, so
 * Rollback by implication): they render, the gate chart is an inline SVG, and a target key and build
 * description of {@code <script>alert(1)</script>} show as text. Screenshots: target/ui-screenshots/.
 */
class BrowserPagesIT {

    @RegisterExtension
    static final RealJenkins JENKINS = RealJenkins.matrix();

    private static final String XSS = "<script>alert(1)</script>";
    private static final Path SHOTS = Path.of("target/ui-screenshots");
    private static LocalHAProxy haproxy;
    private static List<Integer> builds;

    @BeforeAll
    static void records() throws Exception {
        haproxy = LocalHAProxy.start(List.of(new LocalHAProxy.Server("s1", 1, 100), new LocalHAProxy.Server("c1", 2, 0)));
        builds = RealJenkinsRecords.create(JENKINS.admin(), "shop", 2, "shop-" + XSS, haproxy.adminSocket().toString(),
                List.of(new int[] {100, 0}, new int[] {0, 100}), "release " + XSS);
    }

    @AfterAll
    static void stopHAProxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void buildRollbackAndDeploymentsPagesRenderWithTheChartAndEscapedText() throws Exception {
        String jenkins = JENKINS.url().endsWith("/") ? JENKINS.url() : JENKINS.url() + "/";
        int second = builds.get(1);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.login(URI.create(jenkins), "user", "user");
            assertThat(browser.script("return document.body.innerText")).doesNotContain("Invalid username");

            browser.open(URI.create(jenkins + "job/shop/" + second + "/"));
            assertPage(browser, "Deployment record");
            assertThat(browser.script("return document.body.innerText.includes('release " + XSS + "')")).isEqualTo("true");
            browser.screenshot(SHOTS.resolve("build-page.png"));

            browser.open(URI.create(jenkins + "job/shop/" + second + "/rollback-record/"));
            assertPage(browser, "Gate evidence");
            assertThat(browser.script("return document.querySelector('#rollback-gate-chart svg') !== null")).isEqualTo("true");
            assertThat(browser.script("return document.querySelector('#rollback-target').textContent === 'shop-" + XSS + "'"))
                    .isEqualTo("true");
            browser.screenshot(SHOTS.resolve("record-page.png"));

            browser.open(URI.create(jenkins + "job/shop/" + second + "/rollback/"));
            assertPage(browser, "Roll back to this build");
            assertThat(browser.script("return document.querySelector('#rollback-diff') !== null")).isEqualTo("true");
            assertThat(browser.script("return document.querySelector('#rollback-confirm button') !== null")).isEqualTo("true");
            browser.screenshot(SHOTS.resolve("rollback-page.png"));

            browser.open(URI.create(jenkins + "job/shop/rollback-deployments/"));
            assertPage(browser, "Deployments");
            assertThat(browser.script("return document.querySelectorAll('table.rollback-deployments tbody tr').length"))
                    .isEqualTo("2");
            assertThat(browser.script("return document.body.innerText")).contains("Audit log");
            browser.screenshot(SHOTS.resolve("deployments-page.png"));

            browser.open(URI.create(jenkins + "job/shop/rollback-deployments/audit/"));
            assertPage(browser, "Audit log");
            browser.screenshot(SHOTS.resolve("audit-page.png"));
        }
    }

    /** Rendered (title text present), and no script element carries the injected alert. */
    private static void assertPage(HeadlessChromium browser, String heading) throws Exception {
        assertThat(browser.script("return document.body.innerText")).contains(heading);
        assertThat(browser.script("return Array.from(document.scripts).some(s => s.textContent.includes('alert(1)'))"))
                .isEqualTo("false");
    }
}
