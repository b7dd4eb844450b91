package dev.rollbackdeploy.flags;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The record's form of flags: the store, and each flag's state (or change) when the run ended. */
public final class FlagJson {

    private FlagJson() {
    }

    /** {@code {"store":"unleash …","flags":[{"flag":"new-checkout","before":true,"enabled":false}]}}. */
    public static ObjectNode changes(String store, List<FlagChange> changes) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("store", store);
        ArrayNode flags = node.putArray("flags");
        for (FlagChange change : changes) {
            flags.addObject().put("flag", change.flag()).put("before", change.before()).put("enabled", change.after());
        }
        return node;
    }

    /** {@code {"store":"unleash …","flags":[{"flag":"new-checkout","enabled":true}]}}. */
    public static ObjectNode states(String store, List<FlagState> states) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("store", store);
        ArrayNode flags = node.putArray("flags");
        for (FlagState state : states) {
            flags.addObject().put("flag", state.flag()).put("enabled", state.enabled());
        }
        return node;
    }
}
