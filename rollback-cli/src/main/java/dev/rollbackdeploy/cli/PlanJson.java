package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.record.BuildRef;
import java.util.LinkedHashMap;
import java.util.Map;

/** The --json shape of a plan, shared by diff and rollback. */
final class PlanJson {

    private PlanJson() {
    }

    static Map<String, Object> of(BuildRef target, Plan plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target.toString());
        json.put("inSync", plan.isEmpty());
        json.put("images", plan.diff().images().stream().map(Object::toString).toList());
        json.put("actions", plan.actions().stream().map(Action::describe).toList());
        json.put("refusals", plan.refusals());
        json.put("notes", plan.notes());
        return json;
    }
}
