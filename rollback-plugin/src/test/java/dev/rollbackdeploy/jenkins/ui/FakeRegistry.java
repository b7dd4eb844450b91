package dev.rollbackdeploy.jenkins.ui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OCI registry on loopback that has every manifest: HEAD {@code /v2/<repo>/manifests/<digest>} answers 200
 * (plain http, as the registry client uses for loopback), so "Roll back to this build", which checks the recorded
 * digests first, can run offline. Counts the manifest checks.
 */
final class FakeRegistry implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger manifestChecks = new AtomicInteger();

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", exchange -> {
            boolean manifest = exchange.getRequestURI().getPath().contains("/manifests/sha256:");
            if (manifest) {
                manifestChecks.incrementAndGet();
            }
            exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            exchange.sendResponseHeaders(manifest || exchange.getRequestURI().getPath().equals("/v2/") ? 200 : 404, -1);
            exchange.close();
        });
        server.start();
    }

    /** {@code 127.0.0.1:port}, the registry part of an image name. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int manifestChecks() {
        return manifestChecks.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
