package dev.rollbackdeploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServerTest {

    @Test
    void startsWaitsUntilReadyAndStops(@TempDir Path dir) throws Exception {
        int port = LocalServer.freePort();
        // python3 is on every machine of this kind; any long-running listener would do.
        LocalServer server = LocalServer.start("http", List.of("python3", "-m", "http.server", "--bind", "127.0.0.1",
                String.valueOf(port)), dir, Duration.ofSeconds(20), () -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });

        assertThat(server.isAlive()).isTrue();
        server.close();
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    void aServerThatExitsFailsWithItsLogTail(@TempDir Path dir) {
        assertThatThrownBy(() -> LocalServer.start("broken", List.of("sh", "-c", "echo bad config line 3; exit 7"), dir,
                Duration.ofSeconds(10), () -> false))
                .isInstanceOf(IOException.class).hasMessageContaining("broken exited with 7")
                .hasMessageContaining("bad config line 3");
    }

    @Test
    void aServerNeverReadyIsStoppedAndReported(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> LocalServer.start("silent", List.of("sleep", "30"), dir, Duration.ofMillis(300), () -> false))
                .isInstanceOf(IOException.class).hasMessageContaining("silent was not ready within 300 ms");
        assertThat(Files.exists(dir.resolve("silent.log"))).isTrue();
    }

    @Test
    void anInstalledBinaryNeedsNoInstall() throws Exception {
        assertThat(DebianPackages.ensure("coreutils", "/bin/ls")).isEqualTo(Path.of("/bin/ls"));
    }
}
