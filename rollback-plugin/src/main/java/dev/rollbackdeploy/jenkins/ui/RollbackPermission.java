package dev.rollbackdeploy.jenkins.ui;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;

/**
 * The plugin's own permission to roll a target back to a recorded build. It lives in the run scope and
 * is implied by Job/Build, so that out of the box whoever may build may roll back, and an administrator
 * using a matrix can grant or withhold it on its own (issue 13).
 */
public final class RollbackPermission {

    public static final PermissionGroup GROUP = new PermissionGroup(RollbackPermission.class,
            Messages._RollbackPermission_Group());

    public static final Permission ROLLBACK = new Permission(GROUP, "Rollback", Messages._RollbackPermission_Description(),
            Item.BUILD, PermissionScope.RUN);

    private RollbackPermission() {
    }

    /** Whether the current user may roll the run's target back to it. */
    public static boolean allowed(Run<?, ?> run) {
        return run.hasPermission(ROLLBACK);
    }

    /**
     * Loads this class before the security configuration is read, so the permission exists by name when a
     * matrix names it (Jenkins only knows permissions whose class was initialised).
     */
    @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
    public static void register() {
        ROLLBACK.getId();
    }
}
