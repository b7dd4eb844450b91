package dev.rollbackdeploy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathEncodingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "prod-shop      | prod-shop",
            "team/shop      | team%2Fshop",
            "team/Shop      | team%2F%53hop",
            "team%2Fshop    | team%252%46shop",
            ".              | %2E",
            "..             | %2E%2E",
            "a b            | a%20b",
            "café           | caf%C3%A9",
            "under_score    | under_score"})
    void encodesToOneSafeFileNameThatDecodesBack(String name, String encoded) {
        assertThat(PathEncoding.encode("job", name)).isEqualTo(encoded);
        assertThat(PathEncoding.decode(encoded)).contains(name);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"Shop", "team%2fshop", "team%2", "a b", "caf\u00e9", "%", ""})
    void aFileNameNoNameEncodesToDecodesToNothing(String fileName) {
        assertThat(PathEncoding.decode(fileName)).isEmpty();
    }

    @Test
    void neverMapsTwoNamesToOneFileNameEvenIgnoringCase() {
        List<String> names = List.of("team/shop", "team%2Fshop", "Team/shop", "team/Shop", "TEAM/SHOP", "team.shop",
                "team%2fshop", "team_shop", "team-shop", "team shop", "teamshop", "ΣHOP", "σhop", "ςhop");
        Map<String, String> seen = new HashMap<>();
        for (String name : names) {
            String folded = PathEncoding.encode("job", name).toLowerCase(Locale.ROOT);
            assertThat(seen.put(folded, name)).as("%s collides", name).isNull();
        }
    }

    @Test
    void refusesANameTooLongForAFileSystem() {
        assertThatThrownBy(() -> PathEncoding.encode("target key", "X".repeat(90)))
                .hasMessageContaining("target key 'XXXX").hasMessageContaining("270 characters");
    }
}
