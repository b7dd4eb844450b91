package dev.rollbackdeploy.jenkins.ui;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Run;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/**
 * Adds "Roll back to this build" to builds that have a deployment record. Its link shows only to users
 * who hold {@link RollbackPermission#ROLLBACK} on the build; for everyone else the action is there but
 * linkless, so its page and POST answer 403 (not a 404 that would hide why).
 */
@Extension
public final class RollbackActionFactory extends TransientActionFactory<Run> {

    @Override
    public Class<Run> type() {
        return Run.class;
    }

    /** Only this action type: so that looking up the record below does not call this factory again. */
    @Override
    public Class<? extends Action> actionType() {
        return RollbackToBuildAction.class;
    }

    @Override
    public Collection<? extends Action> createFor(Run target) {
        DeploymentRecordAction record = target.getAction(DeploymentRecordAction.class);
        if (record == null) {
            return List.of();
        }
        return List.of(new RollbackToBuildAction(target, record));
    }
}
