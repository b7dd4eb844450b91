package dev.rollbackdeploy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The deployment spec the CLI's VM tests write: build {@code shop#N} of target {@code shop-vms} on backend
 * {@code app}, stable servers stable1 and stable2, canary server canary1 (the drill environment's), with the
 * test's own socket, Prometheus, gate fields and further lines (steps, strategy, ...).
 */
final class VmSpecText {

    private VmSpecText() {
    }

    /**
     * @param gate the gate's fields inside its braces, e.g. {@code interval: 1s, maxDuration: 60s}
     * @param rest further top-level lines, e.g. {@code steps: [10, 100]}
     */
    static Path write(Path file, int build, Object socket, String prometheus, String gate, String rest) throws IOException {
        return Files.writeString(file, """
                build: shop#%d
                buildUrl: https://ci.example.com/job/shop/%d/
                target:
                  key: shop-vms
                  haproxy:
                    sockets: [%s]
                    backend: app
                    stable: [stable1, stable2]
                    canary: [canary1]
                prometheus: %s
                gate: {%s}
                %s
                """.formatted(build, build, socket, prometheus, gate, rest));
    }
}
