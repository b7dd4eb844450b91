package dev.rollbackdeploy.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the distribution project's registry),
 * installed if missing, serving a temp directory on 127.0.0.1 and a free port, with manifest
 * deletion on and optionally htpasswd Basic auth. Failing to install or start fails the test with the
 * log tail; it never skips.
 */
final class RegistryProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static boolean aptUpdated;

    private final Process process;
    private final Path log;
    private final int port;

    private RegistryProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts an open registry. */
    static RegistryProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, null, null);
    }

    /** Starts a registry that requires this Basic login (stored bcrypt-hashed, as the registry demands). */
    static RegistryProcess start(Path dir, String user, String password) throws IOException, InterruptedException {
        ensureInstalled(BINARY, "docker-registry");
        int port = freePort();
        String auth = "";
        if (user != null) {
            ensureInstalled(HTPASSWD, "apache2-utils");
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, run(List.of(HTPASSWD.toString(), "-Bbn", user, password)).strip() + "\n");
            auth = "auth:\n  htpasswd:\n    realm: test-realm\n    path: " + htpasswd + "\n";
        }
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + auth);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RegistryProcess registry = new RegistryProcess(process, log, port);
        registry.awaitReady();
        return registry;
    }

    /** The reference prefix for images in this registry, e.g. {@code 127.0.0.1:40123}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String baseUrl() {
        return "http://" + host();
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_LIMIT);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited with " + process.exitValue() + " before answering:\n"
                        + logTail());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + "/v2/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(1000);
                int code = connection.getResponseCode();
                connection.disconnect();
                if (code == 200 || code == 401) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        close();
        throw new AssertionError("docker-registry did not answer /v2/ on " + host() + " within " + START_LIMIT
                + " (last error: " + last + "):\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static synchronized void ensureInstalled(Path binary, String debianPackage)
            throws IOException, InterruptedException {
        if (Files.isExecutable(binary)) {
            return;
        }
        if (!aptUpdated) {
            run(List.of("apt-get", "update"));
            aptUpdated = true;
        }
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", debianPackage));
        if (debianPackage.equals("docker-registry")) {
            // The package may start a system service on :5000; ours use their own ports, so stop it.
            runIgnoringFailure(List.of("service", "docker-registry", "stop"));
        }
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("installed " + debianPackage + " but " + binary + " is still missing");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            List<String> lines = new ArrayList<>(output.lines().toList());
            throw new AssertionError("command " + command + " failed:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        return output;
    }

    private static void runIgnoringFailure(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no service manager in this container: nothing was started
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
