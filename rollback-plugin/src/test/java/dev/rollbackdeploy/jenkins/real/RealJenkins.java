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
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bundle's real Jenkins 2.541.3 process with our packaged .hpi, started with {@code bin/start-jenkins} and
 * always stopped with {@code bin/stop-jenkins}. Register it as a static {@code @RegisterExtension} field. A start
 * that fails fails the class with Jenkins' own log tail.
 *
 * <p>One process per security mode serves every test class of the run: a start and stop cost 10–20 s on this
 * 2-core machine (35 s and more when it is loaded), about 90 s of a 3.5-minute failsafe run when each of the six
 * classes had its own. It is stopped (and its home deleted) when
 * the run ends (JUnit's root store closes it; a shutdown hook if the JVM ends first). So the classes share
 * {@code JENKINS_HOME}: each uses its own job and record names and sets the global configuration it relies on
 * in its {@code @BeforeAll}. A class that stops it ({@link #stop()}) starts it again before it ends; if that
 * fails, the next class starts it.
 */
public final class RealJenkins implements BeforeAllCallback, AutoCloseable {

    private static final RealJenkins STANDARD = new RealJenkins(false);
    private static final RealJenkins MATRIX = new RealJenkins(true);

    private final boolean matrix;
    private Path home;
    private Map<String, String> env = Map.of();
    private JenkinsRest admin;
    private JenkinsRest user;
    private Duration lastStart = Duration.ZERO;

    private RealJenkins(boolean matrix) {
        this.matrix = matrix;
    }

    /** Core "full control once logged in" security, anonymous read (the bundle's default). Shared by the run. */
    public static RealJenkins standard() {
        return STANDARD;
    }

    /** matrix-auth: admin = Overall/Administer; user = Overall/Read + Job/Read/Build + Run/Update. Shared by the run. */
    public static RealJenkins matrix() {
        return MATRIX;
    }

    public static Path bundle() {
        return Path.of(System.getProperty("jenkins.bundle.dir", "../../shared/jenkins")).toAbsolutePath().normalize();
    }

    public static Path hpi() {
        return Path.of(System.getProperty("rollback.hpi", "target/rollback-deploy.hpi")).toAbsolutePath();
    }

    /** Starts the process on first use (with a JUnit context: kept for the whole run), or again if it is down. */
    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (home == null) {
            home = Files.createTempDirectory("jh-");
            if (context != null) {
                context.getRoot().getStore(ExtensionContext.Namespace.create(RealJenkins.class))
                        .put(matrix ? "matrix" : "standard", this);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::closeQuietly, "stop " + home));
        }
        if (!running()) {
            start();
        }
    }

    /** Stops the process and deletes its home (unless {@code -Drollback.keepJenkinsHome=true}). Idempotent. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (home == null) {
            return;
        }
        try {
            stop();
        } finally {
            if (!Boolean.getBoolean("rollback.keepJenkinsHome")) {
                deleteTree(home);
                Files.deleteIfExists(home.resolveSibling(home.getFileName() + "-start.log"));
            }
            home = null;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the real Jenkins: " + e);
        }
    }

    /** Up as far as this class knows: started here, and the process in {@code jenkins.pid} is alive. */
    private boolean running() throws IOException {
        Path pid = home.resolve("jenkins.pid");
        return admin != null && Files.exists(pid)
                && ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).map(ProcessHandle::isAlive).orElse(false);
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
