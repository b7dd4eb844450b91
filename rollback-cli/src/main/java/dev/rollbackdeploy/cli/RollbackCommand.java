package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.TargetLocks;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.restore.PreparedRestore;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Puts a recorded build back exactly; does nothing when it is already live. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Restore a recorded build exactly. Restoring what is already live makes no writes.")
final class RollbackCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Mixin
    LiveTargetOptions live;

    @Mixin
    LockOption lock;

    @Option(names = "--to", required = true, paramLabel = "JOB#N", description = "The recorded build to restore.")
    String build;

    @Option(names = "--prune", description = "Delete live objects the build did not have (otherwise kept and reported).")
    boolean prune;

    @Option(names = "--allow-recreate", description = "Delete and re-create objects whose immutable fields differ.")
    boolean allowRecreate;

    @Option(names = "--dry-run", description = "Show the plan and stop.")
    boolean dryRun;

    @Option(names = "--skip-digest-check", description = "Do not ask the image registries whether the recorded digests still "
            + "exist before restoring (by default a missing one refuses the restore before anything moves, naming the "
            + "nearest build that can be restored; the CLI pulls anonymously).")
    boolean skipDigestCheck;

    @Option(names = "--ready-timeout", defaultValue = "PT5M", description = "How long a workload may take to become ready (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Override
    ExitCode execute() throws Exception {
        BuildRef ref = Inputs.build("--to", build);
        DeploymentRecord record = Records.load(store.open(), ref);
        try (LiveTargetOptions.Live target = live.open(record)) {
            target.warnings().forEach(w -> console().progress("warning: " + w));
            if (dryRun) {
                return restore(ref, record, target);
            }
            String key = record.target().key();
            try (TargetLock.Held held = TargetLocks.hold(context(store.dir, lock.checkedWait()), key, "rollback --to " + ref
                    + " by " + System.getProperty("user.name", "cli"))) {
                return restore(ref, record, target);
            }
        }
    }

    private ExitCode restore(BuildRef ref, DeploymentRecord record, LiveTargetOptions.Live target) throws Exception {
        CountingCluster cluster = new CountingCluster(target.cluster());
        console().progress("planning restore of " + ref + " (template set " + record.manifests().setHash() + ") on "
                + target.description());
        PreparedRestore prepared = Restore.prepare(store.open(), ref, cluster, Restore.registries(!skipDigestCheck),
                new RestoreOptions(prune, allowRecreate), target.description());
        console().progress("images: " + prepared.images().describe());
        Plan plan = prepared.plan();
        console().result(plan.render());
        if (!plan.isExecutable()) {
            console().json(PlanJson.of(ref, plan));
            throw new CliException(ExitCode.REFUSED, new PlanRefusedException(plan.refusals()).getMessage());
        }
        if (dryRun || plan.isEmpty()) {
            console().progress(plan.isEmpty() ? ref + " is already live: 0 writes" : "dry run: nothing changed");
            console().json(withWrites(PlanJson.of(ref, plan), 0));
            return ExitCode.OK;
        }
        Restore.execute(plan, cluster, readyTimeout, clock(), console()::progress);
        console().progress("restored " + ref + ": " + cluster.writes() + " writes");
        Restore.audit(context(store.dir, lock.wait), record, cluster.writes(), "rollback --to " + ref + " by "
                + System.getProperty("user.name", "cli"));
        console().json(withWrites(PlanJson.of(ref, plan), cluster.writes()));
        return ExitCode.OK;
    }

    private static Map<String, Object> withWrites(Map<String, Object> json, int writes) {
        json.put("writes", writes);
        return json;
    }
}
