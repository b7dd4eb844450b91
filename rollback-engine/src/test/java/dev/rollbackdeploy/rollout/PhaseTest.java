package dev.rollbackdeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhaseTest {

    private static final Set<String> LEGAL = Set.of(
            "PENDING>PROGRESSING", "PENDING>PAUSED", "PENDING>PROMOTED", "PENDING>ABORTING",
            "PROGRESSING>PAUSED", "PROGRESSING>PROMOTED", "PROGRESSING>ABORTING",
            "PAUSED>PROGRESSING", "PAUSED>PROMOTED", "PAUSED>ABORTING",
            "PROMOTED>ROLLED_BACK", "ABORTING>ABORTED", "ABORTING>FAILED");

    /** Every ordered pair of distinct phases, each marked legal or not by the table above. */
    static Stream<Arguments> everyMove() {
        List<Arguments> rows = new ArrayList<>();
        for (Phase from : Phase.values()) {
            for (Phase to : Phase.values()) {
                if (from != to) {
                    rows.add(Arguments.of(from, to, LEGAL.contains(from + ">" + to)));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} legal={2}")
    @MethodSource("everyMove")
    void allowsExactlyTheMovesOfTheTable(Phase from, Phase to, boolean legal) {
        if (legal) {
            assertThat(from.moveTo(to)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> from.moveTo(to)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageStartingWith("cannot go from " + from + " to " + to + ": allowed from " + from + " are ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phases")
    void terminalPhasesAllowNoMoveButStaying(Phase phase) {
        assertThat(phase.isTerminal()).isEqualTo(Set.of(Phase.ABORTED, Phase.ROLLED_BACK, Phase.FAILED).contains(phase));
        assertThat(phase.moveTo(phase)).isEqualTo(phase);
    }

    static Stream<Phase> phases() {
        return Stream.of(Phase.values());
    }
}
