package dev.rollbackdeploy.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Unleash feature-flag server (npm {@code unleash-server}, the last line that runs on Node 20)
 * on 127.0.0.1 and a free port, storing its flags in a {@link LocalPostgres}, with one admin API
 * token. The npm package is installed once into {@code ~/.cache/rollback-deploy/unleash-<version>}
 * when missing; the server fails with its log tail when it cannot start.
 */
public final class LocalUnleash implements AutoCloseable {

    public static final String VERSION = "7.5.1";
    /** Unleash's format for an admin token valid in every project and environment. */
    public static final String ADMIN_TOKEN = "*:*.local-admin-token";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final Path NODE = Path.of("/usr/bin/node");

    private final Path dir;
    private final int port;
    private final LocalServer server;

    private LocalUnleash(Path dir, int port, LocalServer server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Starts Unleash on a new database {@code database} of this PostgreSQL. */
    public static LocalUnleash start(LocalPostgres postgres, String database) throws IOException, InterruptedException {
        DebianPackages.ensure("nodejs", NODE.toString());
        Path module = install();
        postgres.createDatabase(database);
        Path dir = Files.createTempDirectory("unleash-");
        int port = LocalServer.freePort();
        // Everything the server needs is in the script, so it starts the same from any environment.
        Path script = Files.writeString(dir.resolve("start.js"), String.join("\n",
                // Resolve the package as its install dir would: it has "exports" but no "main".
                "const unleash = require('module').createRequire(" + jsString(module.getParent().getParent()
                        .resolve("package.json").toString()) + ")('unleash-server');",
                "unleash.start({",
                "  db: { host: '127.0.0.1', port: " + postgres.port() + ", user: '" + LocalPostgres.USER + "',",
                "        password: '', database: " + jsString(database) + ", ssl: false },",
                "  server: { host: '127.0.0.1', port: " + port + " },",
                "  logLevel: 'warn',",
                "  authentication: { initApiTokens: [{ environment: '*', project: '*', secret: " + jsString(ADMIN_TOKEN) + ",",
                "                    type: 'admin', tokenName: 'rollback-deploy-tests' }] },",
                "}).then(() => console.log('unleash started'));",
                ""));
        String health = "http://127.0.0.1:" + port + "/health";
        try {
            LocalServer server = LocalServer.start("unleash", List.of(NODE.toString(), script.toString()), dir,
                    READY_WITHIN, () -> LocalPrometheus.httpOk(health));
            return new LocalUnleash(dir, port, server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            throw e;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String logTail() {
        return server.logTail(30);
    }

    @Override
    public void close() {
        server.stopAndDelete(dir);
    }

    /** Installs the npm package once per machine; other JVMs installing at the same time wait for the first. */
    static synchronized Path install() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "rollback-deploy", "unleash-" + VERSION);
        Path module = home.resolve("node_modules").resolve("unleash-server");
        Files.createDirectories(home);
        try (FileChannel lock = FileChannel.open(home.resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lock.lock();
            if (Files.exists(module.resolve("package.json"))) {
                return module;
            }
            System.err.println("installing npm unleash-server@" + VERSION + " into " + home + " (once)...");
            Path log = home.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "--prefix", home.toString(), "unleash-server@" + VERSION).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            npm.getOutputStream().close();
            if (!npm.waitFor(10, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IOException("npm install unleash-server@" + VERSION + " took over 10 minutes; see " + log);
            }
            if (npm.exitValue() != 0 || !Files.exists(module.resolve("package.json"))) {
                throw new IOException("could not install npm unleash-server@" + VERSION + " (exit " + npm.exitValue()
                        + "):\n" + LocalServer.tail(log, 15));
            }
            return module;
        }
    }

    private static String jsString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
