package dev.rollbackdeploy.plan;

import static dev.rollbackdeploy.plan.Objects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.manifest.ManifestSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A change past the first 160 characters of a long value is shown, with where it is (issue 9, item 12). */
class LongValueDiffTest {

    private static final String SCRIPT = "#!/bin/sh\n" + "echo step\n".repeat(60);

    @Test
    void showsAWindowAroundTheFirstDifferenceOfTwoLongValues() {
        String changed = SCRIPT + "rm -rf /tmp/cache\n";
        String original = SCRIPT + "rm -rf /var/cache\n";

        String diff = plan(Map.of("run.sh", changed), Map.of("run.sh", original)).render();

        int at = SCRIPT.length() + "rm -rf /".length() + 1;
        assertThat(diff).contains("data.run.sh: \"…").contains("rm -rf /tmp/cache").contains("rm -rf /var/cache")
                .contains("first difference at character " + at + " of " + changed.length() + " -> " + original.length());
    }

    @Test
    void secretValuesStayHiddenHoweverLong() {
        Plan plan = new RestorePlanner().plan(set(Objects.secret("db", Map.of("key", "a".repeat(300)))),
                LiveState.of(set(Objects.secret("db", Map.of("key", "a".repeat(299) + "b")))), RestoreOptions.SAFE);

        assertThat(plan.render()).contains("data.key: (hidden) -> (hidden)").doesNotContain("aaaa");
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "abc,  abd,  2",
            "abc,  abcd, 3",
            "'',   a,    0",
            "same, same, 4",
    })
    void findsTheFirstDifferingCharacter(String a, String b, int expected) {
        assertThat(LongTexts.firstDifference(a, b)).isEqualTo(expected);
    }

    @Test
    void neverSplitsASurrogatePair() {
        String before = "x".repeat(200) + "😀a";
        String after = "x".repeat(200) + "😃a";

        FieldChange change = LongTexts.change("data.k", before, after, 160);

        assertThat(change.before()).contains("😀").doesNotContain("\\ud83d");
        assertThat(change.after()).contains("😃");
    }

    private static Plan plan(Map<String, String> live, Map<String, String> target) {
        return new RestorePlanner().plan(set(configMap("c", target)), LiveState.of(set(configMap("c", live))),
                RestoreOptions.SAFE);
    }

    private static ManifestSet set(dev.rollbackdeploy.manifest.CanonicalObject... objects) {
        return ManifestSet.of(List.of(objects));
    }
}
