package dev.rollbackdeploy.jenkins.real;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bundle's real Jenkins 2.541.3 process with our packaged .hpi, started once per test class with
 * {@code bin/start-jenkins} and always stopped with {@code bin/stop-jenkins}. Register it as a static
 * {@code @RegisterExtension} field. A start that fails fails the class with Jenkins' own log tail.
 */
public final class RealJenkins implements BeforeAllCallback, AfterAllCallback {

    private final boolean matrix;
    private Path home;
    private Map<String, String> env = Map.of();
    private JenkinsRest admin;
    private JenkinsRest user;
    private Duration lastStart = Duration.ZERO;

    private RealJenkins(boolean matrix) {
        this.matrix = matrix;
    }

    /** Core "full control once logged in" security, anonymous read (the bundle's default). */
    public static RealJenkins standard() {
        return new RealJenkins(false);
    }

    /** matrix-auth: admin = Overall/Administer; user = Overall/Read + Job/Read/Build + Run/Update. */
    public static RealJenkins matrix() {
        return new RealJenkins(true);
    }

    public static Path bundle() {
        return Path.of(System.getProperty("jenkins.bundle.dir", "../../shared/jenkins")).toAbsolutePath().normalize();
    }

    public static Path hpi() {
        return Path.of(System.getProperty("rollback.hpi", "target/rollback-deploy.hpi")).toAbsolutePath();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Files.createTempDirectory("jh-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            stop();
        } finally {
            if (home != null && !Boolean.getBoolean("rollback.keepJenkinsHome")) {
                deleteTree(home);
                Files.deleteIfExists(home.resolveSibling(home.getFileName() + "-start.log"));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Starts Jenkins on this home (first start, or again after {@link #stop()}: jobs and builds kept). */
    public void start() throws IOException, InterruptedException {
        if (!Files.isRegularFile(hpi())) {
            throw new IllegalStateException("no plugin at " + hpi() + ": run `mvn verify` (failsafe runs after package)");
        }
        List<String> command = new ArrayList<>(List.of(bundle().resolve("bin/start-jenkins").toString(), "-H", home.toString()));
        if (matrix) {
            command.add("--matrix");
        }
        command.add(hpi().toString());
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolveSibling(home.getFileName() + "-start.log").toFile());
        builder.environment().put("JENKINS_JAVA_OPTS", "-Xmx768m");
        Process process = builder.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("start-jenkins did not return within 6 minutes; log tail:\n" + logTail());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("start-jenkins failed (" + process.exitValue() + "):\n"
                    + Files.readString(home.resolveSibling(home.getFileName() + "-start.log")) + "\nlog tail:\n" + logTail());
        }
        lastStart = Duration.ofNanos(System.nanoTime() - started);
        env = readEnv(home.resolve("bundle.env"));
        admin = new JenkinsRest(url(), "admin", env.get("ADMIN_TOKEN"));
        user = new JenkinsRest(url(), "user", env.get("USER_TOKEN"));
    }

    /** Stops the process (SIGTERM, as an operator's restart would; SIGKILL after 60 s). Idempotent. */
    public void stop() throws IOException, InterruptedException {
        if (home == null || !Files.exists(home.resolve("jenkins.pid"))) {
            return;
        }
        Process process = new ProcessBuilder(bundle().resolve("bin/stop-jenkins").toString(), home.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("stop-jenkins did not return within 2 minutes for " + home);
        }
    }

    public String url() {
        return env.get("JENKINS_URL");
    }

    public Path home() {
        return home;
    }

    public JenkinsRest admin() {
        return admin;
    }

    public JenkinsRest user() {
        return user;
    }

    /** How long the last {@code start-jenkins} took until Jenkins was fully up with our plugin. */
    public Duration lastStart() {
        return lastStart;
    }

    public String log() throws IOException {
        return Files.readString(home.resolve("jenkins.log"), StandardCharsets.UTF_8);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("jenkins.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no jenkins.log: " + e.getMessage() + ")";
        }
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
