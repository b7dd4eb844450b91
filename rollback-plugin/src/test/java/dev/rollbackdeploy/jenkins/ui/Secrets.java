package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jvnet.hudson.test.JenkinsRule;

/** Where a secret must never be: build logs, pages, records, build.xml, any file under JENKINS_HOME. */
public final class Secrets {

    private Secrets() {
    }

    public static String log(Run<?, ?> run) throws IOException {
        return JenkinsRule.getLog(run);
    }

    /**
     * Fetches each page (as {@code user}, or anonymously when null) and reads every file under JENKINS_HOME but the
     * exploded war and plugins, and fails naming the first that holds the secret.
     */
    public static void assertNowhere(JenkinsRule j, String secret, String user, List<String> pages) throws Exception {
        try (JenkinsRule.WebClient wc = user == null ? j.createWebClient() : j.createWebClient().login(user)) {
            for (String page : pages) {
                String html = wc.goTo(page).getWebResponse().getContentAsString();
                assertThat(html).as(page).isNotEmpty().doesNotContain(secret);
            }
        }
        Path home = j.jenkins.getRootDir().toPath();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(home)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(home.resolve("war"))
                    && !p.startsWith(home.resolve("plugins"))).forEach(files::add);
        }
        assertThat(files).as("build.xml, logs, records").anyMatch(p -> p.toString().endsWith("build.xml"))
                .anyMatch(p -> p.toString().contains("rollback-deploy"));
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(text.contains(secret)).as(file.toString()).isFalse();
        }
    }
}
