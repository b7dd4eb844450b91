package dev.rollbackdeploy.jenkins.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.util.ArrayList;
import java.util.List;

/** The flag states (or kill-switch changes) a record carries, one line each, for the rollback page. */
final class FlagStates {

    private FlagStates() {
    }

    static List<String> of(DeploymentRecord record) {
        List<String> lines = new ArrayList<>();
        record.safety().flagsJson().ifPresent((ObjectNode flags) -> {
            for (JsonNode flag : flags.path("flags")) {
                lines.add(flag.path("flag").asText() + ": " + (flag.has("before")
                        ? (flag.path("before").asBoolean() ? "on" : "off") + " -> " : "")
                        + (flag.path("enabled").asBoolean() ? "on" : "off") + " (" + flags.path("store").asText() + ")");
            }
        });
        return lines;
    }
}
