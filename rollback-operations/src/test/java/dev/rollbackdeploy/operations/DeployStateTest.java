package dev.rollbackdeploy.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeployStateTest {

    private static final DeployState STARTED = new DeployState(BuildRef.parse("team/shop#42"), "shop-vms",
            Instant.parse("2026-12-04T12:00:00Z"), BuildRef.parse("team/shop#41"), null, VmRunState.start());

    @Test
    void roundTripsThroughItsStringForm() {
        String text = STARTED.encode();

        assertThat(DeployState.decode(text)).isEqualTo(STARTED);
        assertThat(text).startsWith("{\"format\":1,").contains("\"previous\":\"team/shop#41\"");
    }

    @Test
    void anAlreadyLiveStateRoundTripsWithItsReason() {
        DeployState live = new DeployState(STARTED.build(), "shop-vms", STARTED.startedAt(), null,
                "team/shop#42 is already deployed", VmRunState.start());

        assertThat(DeployState.decode(live.encode())).isEqualTo(live);
    }

    @Test
    void aGarbledOrForeignStringIsRefusedNamingWhy() {
        assertThatThrownBy(() -> DeployState.decode("{\"format\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format must be 1, got 2");
        assertThatThrownBy(() -> DeployState.decode(STARTED.encode().substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a deploy state");
    }
}
