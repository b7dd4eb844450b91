package dev.rollbackdeploy.jenkins.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flag states and kill-switch changes as a step returns them: a list of plain maps a {@code script {}} block can
 * read ({@code [flag: 'new-checkout', before: true, enabled: false]}; {@code before} only for a change).
 */
final class FlagResults {

    private FlagResults() {
    }

    /** What the record carries: the changes after an abort or rollback, else the states at the end; empty when none. */
    static List<Map<String, Object>> of(DeploymentRecord record) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (record == null) {
            return out;
        }
        record.safety().flagsJson().ifPresent(flags -> {
            for (JsonNode flag : flags.path("flags")) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("flag", flag.path("flag").asText());
                if (flag.has("before")) {
                    one.put("before", flag.path("before").asBoolean());
                }
                one.put("enabled", flag.path("enabled").asBoolean());
                out.add(one);
            }
        });
        return out;
    }

    /** A restore's changes. */
    static List<Map<String, Object>> of(List<FlagChange> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FlagChange change : changes) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("flag", change.flag());
            one.put("before", change.before());
            one.put("enabled", change.after());
            out.add(one);
        }
        return out;
    }
}
