package dev.rollbackdeploy.jenkins.ui;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Run;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/**
 * Adds "Roll back to this build" to builds that have a deployment record, for users who hold
 * {@link RollbackPermission#ROLLBACK} on them; everyone else gets neither the link nor the page (404).
 */
@Extension
public final class RollbackActionFactory extends TransientActionFactory<Run> {

    @Override
    public Class<Run> type() {
        return Run.class;
    }

    @Override
    public Collection<? extends Action> createFor(Run target) {
        DeploymentRecordAction record = target.getAction(DeploymentRecordAction.class);
        if (record == null || !RollbackPermission.allowed(target)) {
            return List.of();
        }
        return List.of(new RollbackToBuildAction(target, record));
    }
}
