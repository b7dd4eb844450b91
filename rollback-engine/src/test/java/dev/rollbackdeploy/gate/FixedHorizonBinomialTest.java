package dev.rollbackdeploy.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FixedHorizonBinomialTest {

    @ParameterizedTest(name = "{0} -> {1}, alpha {2}, power {3}: n = {4} at >= {5}")
    @CsvSource({
            "0.001, 0.01,  0.05, 0.80,   299,  2",
            "0.001, 0.01,  0.01, 0.95,   773,  4",
            "0.01,  0.02,  0.05, 0.80,   905, 15",
            "0.01,  0.02,  0.01, 0.95,  2258, 35",
            "0.001, 0.002, 0.05, 0.80,  9061, 15",
            "0.001, 0.002, 0.01, 0.95, 22628, 35",
    })
    void reproducesTheGatesReferenceTable(double p0, double p1, double alpha, double power, long n, long critical) {
        FixedHorizonBinomial plan = FixedHorizonBinomial.plan(p0, p1, alpha, 1 - power);

        assertThat(plan.n()).isEqualTo(n);
        assertThat(plan.critical()).isEqualTo(critical);
        assertThat(plan.achievedAlpha()).isLessThanOrEqualTo(alpha);
        assertThat(plan.power()).isGreaterThanOrEqualTo(power);
    }

    @Test
    void oneFewerRequestDoesNotReachThePower() {
        FixedHorizonBinomial plan = FixedHorizonBinomial.plan(0.001, 0.01, 0.05, 0.2);
        long n = plan.n() - 1;
        long c = 1;
        while (BinomialTail.upper(n, c, 0.001) > 0.05) {
            c++;
        }

        assertThat(BinomialTail.upper(n, c, 0.01)).isLessThan(0.8);
    }

    @ParameterizedTest(name = "P(X >= {1} | n={0}, p={2}) = {3}")
    @CsvSource({
            // 1 - 0.999^60: Flagger's one-minute check at 1 req/s fails this often (GATES.md: 5.8%).
            "60,   1, 0.001, 0.058264",
            "10,   0, 0.3,   1.0",
            "10,  11, 0.3,   0.0",
            // P(X >= 5 | 10, 0.5) = 638/1024
            "10,   5, 0.5,   0.623046875",
            // 1 - P(X=0) - P(X=1) for n=299, p=0.001
            "299,  2, 0.001, 0.036637",
    })
    void upperTailMatchesClosedForms(long n, long c, double p, double expected) {
        assertThat(BinomialTail.upper(n, c, p)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void upperAndLowerTailsAddUpToOne() {
        for (long c = 0; c <= 200; c += 7) {
            assertThat(BinomialTail.upper(1000, c, 0.05) + BinomialTail.lower(1000, c - 1, 0.05))
                    .isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void rejectsAnEffectThatIsNotAnIncrease() {
        assertThatThrownBy(() -> FixedHorizonBinomial.plan(0.02, 0.01, 0.05, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p1 must be above p0")
                .hasMessageContaining("p0=0.02");
    }
}
