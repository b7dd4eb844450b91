package dev.rollbackdeploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real server that answers SQL, and is gone once closed. */
class LocalPostgresTest {

    @Test
    void startsAnswersSqlAndStopsOnClose() throws Exception {
        int port;
        try (LocalPostgres postgres = LocalPostgres.start()) {
            port = postgres.port();
            postgres.createDatabase("app");
            assertThat(postgres.psql("app", "SELECT 40 + 2")).isEqualTo("42");
            assertThat(postgres.jdbcUrl("app")).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/app");
            assertThatThrownBy(() -> postgres.psql("app", "SELECT * FROM missing_table"))
                    .isInstanceOf(IOException.class).hasMessageContaining("missing_table");
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }
}
