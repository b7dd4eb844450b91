package dev.rollbackdeploy.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (Debian package {@code postgresql}) in a temp dir on 127.0.0.1 and a free port,
 * trusting local connections as user {@code postgres}: initdb, start, wait until it accepts
 * connections, stop. PostgreSQL refuses to run as root, so when this JVM is root the server runs as
 * the {@code postgres} user the package creates (through {@code setpriv}, which execs, so stopping
 * the process stops the server itself).
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    public static final String USER = "postgres";

    private final Path dir;
    private final Path bin;
    private final int port;
    private LocalServer server;

    private LocalPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** Installs PostgreSQL when missing, creates a fresh cluster and starts it. */
    public static LocalPostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("postgres-");
        LocalPostgres postgres = new LocalPostgres(dir, bin, LocalServer.freePort());
        try {
            handToServerUser(dir);
            run(postgres.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-A", "trust", "-U", USER, "-E", "UTF8", "--no-sync")), dir.resolve("initdb.log"));
            postgres.startServer();
            return postgres;
        } catch (IOException | InterruptedException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    private void startServer() throws IOException, InterruptedException {
        // fsync off: a test cluster is thrown away, and syncing would cost seconds on a loaded disk.
        server = LocalServer.start("postgres", asServerUser(List.of(bin.resolve("postgres").toString(),
                "-D", dir.resolve("data").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-k", dir.toString(), "-c", "fsync=off", "-c", "full_page_writes=off")), dir, READY_WITHIN,
                this::acceptsConnections);
    }

    /** JDBC URL of a database of this server (user {@value #USER}, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** Runs SQL with psql against a database; fails with psql's output when it fails. */
    public String psql(String database, String sql) throws IOException, InterruptedException {
        return run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
                "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql), dir.resolve("psql.log"));
    }

    /** Creates an empty database. */
    public void createDatabase(String name) throws IOException, InterruptedException {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _, got '" + name + "'");
        }
        psql("postgres", "CREATE DATABASE " + name);
    }

    /** Ends the server abruptly, as a crash would: clients then find nothing listening. */
    public void kill() throws InterruptedException {
        if (server != null) {
            server.kill();
        }
    }

    public String logTail() {
        return server == null ? "(not started)" : server.logTail(30);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stopAndDelete(dir);
        } else {
            deleteQuietly(dir);
        }
    }

    private boolean acceptsConnections() throws IOException {
        Process check = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-U", USER, "-t", "1").redirectErrorStream(true).start();
        try {
            check.getInputStream().readAllBytes();
            return check.waitFor(5, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            check.destroy();
        }
    }

    private List<String> asServerUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void handToServerUser(Path dir) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(USER));
        GroupPrincipal group = users.lookupPrincipalByGroupName(USER);
        view.setGroup(group);
    }

    /** The newest installed server's bin directory, installing the package when there is none. */
    private static Path binaries() throws IOException, InterruptedException {
        Path found = newestInstalled();
        if (found == null) {
            DebianPackages.ensure("postgresql", "/usr/bin/pg_ctlcluster");
            found = newestInstalled();
        }
        if (found == null) {
            throw new IOException("Debian package postgresql is installed but no server is under " + VERSIONS
                    + "; install it by hand (apt-get install -y postgresql) and run again");
        }
        return found;
    }

    private static Path newestInstalled() throws IOException {
        if (!Files.isDirectory(VERSIONS)) {
            return null;
        }
        List<Path> bins = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(VERSIONS)) {
            for (Path version : versions) {
                if (version.getFileName().toString().matches("[0-9]+") && Files.isExecutable(version.resolve("bin/postgres"))) {
                    bins.add(version.resolve("bin"));
                }
            }
        }
        return bins.stream().max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString())))
                .orElse(null);
    }

    private static String run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " took over 60 s:\n" + LocalServer.tail(log, 15));
        }
        if (process.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' exited with " + process.exitValue() + ":\n"
                    + LocalServer.tail(log, 15));
        }
        return Files.readString(log).strip();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
