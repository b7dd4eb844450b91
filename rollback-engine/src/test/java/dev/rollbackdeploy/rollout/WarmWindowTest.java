package dev.rollbackdeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.gate.GateDecision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WarmWindowTest {

    private static final Instant SWITCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Instant END = SWITCH.plusSeconds(30);

    /** Plays the looks one interval apart, as the shells do, and returns the window's final word. */
    private static WarmWindow.Next play(List<Outcome> looks) {
        WarmWindow window = WarmWindow.open(SWITCH, END, INTERVAL);
        int taken = 0;
        Instant now = SWITCH;
        while (true) {
            WarmWindow.Next next = window.next(now);
            if (next instanceof WarmWindow.WaitUntil wait) {
                now = wait.until();
            } else if (next instanceof WarmWindow.Look) {
                Outcome outcome = taken < looks.size() ? looks.get(taken) : Outcome.HOLD;
                window = window.afterLook(outcome, "look " + (++taken), now);
            } else {
                return next;
            }
        }
    }

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("passing all along keeps the new version", List.of(Outcome.PROMOTE, Outcome.PROMOTE,
                        Outcome.PROMOTE, Outcome.PROMOTE, Outcome.PROMOTE, Outcome.PROMOTE), WarmWindow.Keep.class),
                Arguments.of("failing after a first pass switches back", List.of(Outcome.PROMOTE, Outcome.ROLLBACK),
                        WarmWindow.SwitchBack.class),
                Arguments.of("failing at the window's last look switches back", List.of(Outcome.PROMOTE, Outcome.PROMOTE,
                        Outcome.PROMOTE, Outcome.PROMOTE, Outcome.PROMOTE, Outcome.ROLLBACK), WarmWindow.SwitchBack.class),
                Arguments.of("never enough data switches back", List.of(), WarmWindow.SwitchBack.class),
                Arguments.of("a pass late in the window keeps", List.of(Outcome.HOLD, Outcome.HOLD, Outcome.PROMOTE),
                        WarmWindow.Keep.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void decidesOnEveryLookOfTheWholeWindow(String name, List<Outcome> looks, Class<?> expected) {
        assertThat(play(looks)).isInstanceOf(expected);
    }

    @Test
    void looksEveryIntervalUntilTheWindowsEndWithOneLookAtTheEnd() {
        WarmWindow window = WarmWindow.open(SWITCH, SWITCH.plusSeconds(12), INTERVAL);
        Instant now = SWITCH;
        List<Instant> lookTimes = new java.util.ArrayList<>();
        while (!(window.next(now) instanceof WarmWindow.Keep)) {
            if (window.next(now) instanceof WarmWindow.WaitUntil wait) {
                now = wait.until();
            } else {
                lookTimes.add(now);
                window = window.afterLook(Outcome.PROMOTE, "ok", now);
            }
        }
        assertThat(lookTimes).containsExactly(SWITCH.plusSeconds(5), SWITCH.plusSeconds(10), SWITCH.plusSeconds(12));
    }

    @Test
    void aSwitchBackNamesTheFailingLooksReason() {
        WarmWindow window = WarmWindow.open(SWITCH, END, INTERVAL).afterLook(Outcome.PROMOTE, "fine", SWITCH.plusSeconds(5))
                .afterLook(Outcome.ROLLBACK, "5xx ratio 0.5 over 0.05", SWITCH.plusSeconds(10));
        assertThat(window.next(SWITCH.plusSeconds(10))).isEqualTo(new WarmWindow.SwitchBack("5xx ratio 0.5 over 0.05"));
    }

    @Test
    void roundTripsThroughAMapOfStrings() {
        WarmWindow window = WarmWindow.open(SWITCH, END, INTERVAL).afterLook(Outcome.PROMOTE, "fine", SWITCH.plusSeconds(5));
        assertThat(WarmWindow.fromMap(window.toMap())).isEqualTo(window);
        WarmWindow failed = window.afterLook(Outcome.ROLLBACK, "bad", SWITCH.plusSeconds(10));
        assertThat(WarmWindow.fromMap(failed.toMap())).isEqualTo(failed);
    }
}
