package dev.rollbackdeploy.registry;

import dev.rollbackdeploy.local.DebianPackages;
import dev.rollbackdeploy.local.LocalServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the distribution project's registry),
 * installed if missing, serving a temp directory on 127.0.0.1 and a free port, with manifest
 * deletion on and optionally htpasswd Basic auth. Failing to install or start fails the test with the
 * log tail; it never skips.
 */
final class RegistryProcess implements AutoCloseable {

    static final String BINARY = "/usr/bin/docker-registry";
    static final String HTPASSWD = "/usr/bin/htpasswd";

    private final LocalServer server;
    private final int port;

    private RegistryProcess(LocalServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts an open registry. */
    static RegistryProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, null, null);
    }

    /** Starts a registry that requires this Basic login (stored bcrypt-hashed, as the registry demands). */
    static RegistryProcess start(Path dir, String user, String password) throws IOException, InterruptedException {
        DebianPackages.ensure("docker-registry", BINARY);
        int port = LocalServer.freePort();
        String auth = "";
        if (user != null) {
            DebianPackages.ensure("apache2-utils", HTPASSWD);
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, bcryptLine(user, password) + "\n");
            auth = "auth:\n  htpasswd:\n    realm: test-realm\n    path: " + htpasswd + "\n";
        }
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Path config = Files.writeString(dir.resolve("config.yml"), "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + auth);
        String v2 = "http://127.0.0.1:" + port + "/v2/";
        LocalServer server = LocalServer.start("docker-registry", List.of(BINARY, "serve", config.toString()), dir,
                Duration.ofSeconds(20), () -> answers(v2));
        return new RegistryProcess(server, port);
    }

    /** /v2/ answers 200 when open and 401 when it wants a login: either way it is up. */
    private static boolean answers(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(1000);
        try {
            int code = connection.getResponseCode();
            return code == 200 || code == 401;
        } finally {
            connection.disconnect();
        }
    }

    private static String bcryptLine(String user, String password) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(HTPASSWD, "-Bbn", user, password).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("htpasswd failed: " + output);
        }
        return output.strip();
    }

    /** The reference prefix for images in this registry, e.g. {@code 127.0.0.1:40123}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String baseUrl() {
        return "http://" + host();
    }

    String logTail() {
        return server.logTail(30);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
