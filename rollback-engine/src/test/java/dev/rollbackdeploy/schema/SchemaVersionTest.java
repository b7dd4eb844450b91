package dev.rollbackdeploy.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaVersionTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "1, 2, -1",
            "2, 10, -1",
            "1.0, 1, 0",
            "1.2, 1.10, -1",
            "2024.12.01.1, 2024.12.1, 1",
            "3_1, 3.1, 0",
            "0.9.9, 1, -1"})
    void comparesPartByPartAsNumbers(String left, String right, int expected) {
        int compared = SchemaVersion.parse("v", left).compareTo(SchemaVersion.parse("v", right));
        assertThat(Integer.signum(compared)).isEqualTo(expected);
        if (expected == 0) {
            assertThat(SchemaVersion.parse("v", left)).isEqualTo(SchemaVersion.parse("v", right));
        }
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "v3", "3-beta", "1..2", "1.2.", ".1", "latest", "1 2", "１２"})
    void anUnknownFormatIsRefusedNamingFieldAndValue(String text) {
        assertThatThrownBy(() -> SchemaVersion.parse("schema.ranWith", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.ranWith").hasMessageContaining("'" + text + "'")
                .hasMessageContaining("e.g. 3 or 2.1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.1.0", "7", "2024.12.1.1"})
    void printsWithoutTrailingZeros(String text) {
        assertThat(SchemaVersion.parse("v", text).toString()).isEqualTo(text.replaceAll("(\\.0)+$", ""));
    }
}
