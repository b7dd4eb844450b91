package dev.rollbackdeploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeApiClientTest {

    @Test
    void aMissingSocketFailsAtOnceNamingItsPath(@TempDir Path dir) {
        String path = dir.resolve("admin.sock").toString();
        long start = System.nanoTime();

        assertThatThrownBy(() -> new RuntimeApiClient(path, Duration.ofSeconds(2)).send("show info"))
                .isInstanceOf(IOException.class).hasMessageContaining(path).hasMessageContaining("'show info'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aSocketThatNeverAnswersTimesOutInsteadOfHanging(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("stuck.sock");
        try (ServerSocketChannel stuck = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.bind(UnixDomainSocketAddress.of(path));
            long start = System.nanoTime();

            assertThatThrownBy(() -> new RuntimeApiClient(path.toString(), Duration.ofMillis(300)).send("show info"))
                    .isInstanceOf(IOException.class).hasMessageContaining("no answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void rejectsAnEndpointThatIsNeitherPathNorHostPort() {
        assertThatThrownBy(() -> new RuntimeApiClient("haproxy-1", Duration.ofSeconds(1)))
                .hasMessageContaining("got 'haproxy-1'");
    }

    @Test
    void parsesServersStateByColumnName() {
        String reply = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight\n"
                + "3 app 1 stable1 127.0.0.1 2 0 9 100\n3 app 2 canary1 127.0.0.1 2 0 2 0\n\n";

        assertThat(ServerState.parse(reply, "lb1")).containsExactly(new ServerState("app", "stable1", 2, 0, 9, 100),
                new ServerState("app", "canary1", 2, 0, 2, 0));
        assertThatThrownBy(() -> ServerState.parse("Unknown command.\n", "lb1")).hasMessageContaining("lb1")
                .hasMessageContaining("Unknown command.");
    }
}
