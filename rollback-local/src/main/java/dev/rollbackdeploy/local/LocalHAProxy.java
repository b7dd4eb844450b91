package dev.rollbackdeploy.local;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real HAProxy (Debian package {@code haproxy}) on 127.0.0.1 in front of local servers: one HTTP
 * frontend, one {@code balance roundrobin} backend named {@code app} whose servers' weights are changed
 * at run time through an admin stats socket, and the built-in Prometheus exporter on its own port.
 */
public final class LocalHAProxy implements AutoCloseable {

    private static final String BINARY = "/usr/sbin/haproxy";
    public static final String BACKEND = "app";

    private final Path dir;
    private final int frontendPort;
    private final int metricsPort;
    private final LocalServer server;

    private LocalHAProxy(Path dir, int frontendPort, int metricsPort, LocalServer server) {
        this.dir = dir;
        this.frontendPort = frontendPort;
        this.metricsPort = metricsPort;
        this.server = server;
    }

    /** One backend server on loopback with its initial weight (0..256). */
    public record Server(String name, int port, int weight) {
        public Server {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("server name must be 1-64 of [A-Za-z0-9_.-], got '" + name + "'");
            }
            if (weight < 0 || weight > 256) {
                throw new IllegalArgumentException("weight of server " + name + " must be 0..256, got " + weight);
            }
        }
    }

    /** Starts HAProxy balancing over these servers, in this order. */
    public static LocalHAProxy start(List<Server> servers) throws IOException, InterruptedException {
        DebianPackages.ensure("haproxy", BINARY);
        Path dir = Files.createTempDirectory("haproxy-");
        int frontend = LocalServer.freePort();
        int metrics = LocalServer.freePort();
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), config(dir, frontend, metrics, servers));
        LocalServer server = LocalServer.start("haproxy", List.of(BINARY, "-f", config.toString(), "-db"), dir,
                Duration.ofSeconds(20), () -> Files.exists(dir.resolve("admin.sock")) && listening(frontend));
        return new LocalHAProxy(dir, frontend, metrics, server);
    }

    static String config(Path dir, int frontend, int metrics, List<Server> servers) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n")
                .append("  stats socket ").append(dir.resolve("admin.sock")).append(" mode 600 level admin\n")
                .append("  stats timeout 10s\n")
                .append("defaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n")
                // Clients keep their connections to HAProxy alive (what the switch test measures); each
                // request gets its own server connection, avoiding delayed-ACK stalls on reused ones.
                .append("  option http-server-close\n")
                .append("frontend web\n  bind 127.0.0.1:").append(frontend).append("\n  default_backend ").append(BACKEND).append('\n')
                .append("frontend metrics\n  bind 127.0.0.1:").append(metrics).append('\n')
                .append("  http-request use-service prometheus-exporter if { path /metrics }\n")
                .append("backend ").append(BACKEND).append("\n  balance roundrobin\n");
        servers.forEach(server -> cfg.append("  server ").append(server.name()).append(" 127.0.0.1:")
                .append(server.port()).append(" weight ").append(server.weight()).append('\n'));
        return cfg.toString();
    }

    private static boolean listening(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        }
    }

    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    public int frontendPort() {
        return frontendPort;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public String logTail() {
        return server.logTail(30);
    }

    public void kill() throws InterruptedException {
        server.kill();
    }

    @Override
    public void close() {
        server.stopAndDelete(dir);
    }
}
