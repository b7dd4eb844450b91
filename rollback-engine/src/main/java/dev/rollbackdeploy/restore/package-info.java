/**
 * Restoring a recorded build, up to the point where a shell takes over: load the record, check that
 * its images can still be pulled, and only then observe the target and plan. The shells (CLI,
 * Jenkins) drive the resulting plan with {@link dev.rollbackdeploy.plan.PlanExecutor} themselves, so
 * that they own waiting and persistence.
 */
package dev.rollbackdeploy.restore;
