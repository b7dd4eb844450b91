package dev.rollbackdeploy.plan;

/**
 * What the user allowed a restore to do beyond applying the recorded objects.
 *
 * @param prune         delete live objects the target build did not have (otherwise only reported)
 * @param allowRecreate delete and re-create objects whose immutable fields differ (otherwise refused)
 */
public record RestoreOptions(boolean prune, boolean allowRecreate) {

    public static final RestoreOptions SAFE = new RestoreOptions(false, false);
}
