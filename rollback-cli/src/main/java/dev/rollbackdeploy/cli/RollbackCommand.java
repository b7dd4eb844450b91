package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.restore.DigestPreflightException;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.registry.OciRegistry;
import dev.rollbackdeploy.registry.RegistryConfig;
import dev.rollbackdeploy.registry.RegistryCredentials;
import dev.rollbackdeploy.restore.PreparedRestore;
import dev.rollbackdeploy.restore.RestorePreparation;
import java.util.Optional;
import dev.rollbackdeploy.plan.Action;
import dev.rollbackdeploy.plan.Cluster;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanExecutor;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.io.IOException;
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
        LiveTargetOptions.Live target = live.open(record);
        if (dryRun) {
            return restore(ref, record, target);
        }
        String key = record.target().key();
        try (TargetLock.Held held = lock.acquire(store.dir, key, "rollback --to " + ref + " by "
                + System.getProperty("user.name", "cli"), console()::progress)) {
            console().progress("holding the lock of target " + key);
            return restore(ref, record, target);
        }
    }

    private ExitCode restore(BuildRef ref, DeploymentRecord record, LiveTargetOptions.Live target) throws Exception {
        CountingCluster cluster = new CountingCluster(target.cluster());
        console().progress("planning restore of " + ref + " (template set " + record.manifests().setHash() + ") on "
                + target.description());
        Plan plan;
        try {
            Optional<dev.rollbackdeploy.image.Registry> registry = skipDigestCheck ? Optional.empty()
                    : Optional.of(new OciRegistry(RegistryConfig.defaults(), RegistryCredentials.none()));
            PreparedRestore prepared = RestorePreparation.prepare(store.open(), ref, cluster, registry,
                    new RestoreOptions(prune, allowRecreate));
            console().progress("images: " + prepared.images().describe());
            plan = prepared.plan();
        } catch (DigestPreflightException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage() + "; nothing was changed", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, "cannot prepare the restore of " + ref + " on "
                    + target.description() + ": " + e.getMessage() + "; nothing was changed", e);
        }
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
        execute(plan, cluster);
        console().progress("restored " + ref + ": " + cluster.writes() + " writes");
        console().json(withWrites(PlanJson.of(ref, plan), cluster.writes()));
        return ExitCode.OK;
    }

    private void execute(Plan plan, Cluster cluster) throws Exception {
        PlanExecutor executor = new PlanExecutor(cluster, null, readyTimeout);
        PlanExecutor.Progress progress = executor.begin(plan);
        while (!progress.isDone(plan)) {
            Action action = plan.actions().get(progress.next());
            PlanExecutor.Outcome outcome;
            try {
                outcome = executor.step(plan, progress, clock().instant());
            } catch (Cluster.WorkloadFailedException e) {
                throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage() + "; the target is part-way restored: run the same command again once fixed", e);
            } catch (IOException e) {
                throw new CliException(ExitCode.INFRASTRUCTURE, action.describe() + " failed: " + e.getMessage()
                        + "; the target is part-way restored: run the same command again (it is idempotent)", e);
            }
            if (outcome.progress().next() != progress.next()) {
                console().progress(String.format("step %d/%d done: %s", progress.next() + 1, plan.actions().size(),
                        action.describe()));
            }
            progress = outcome.progress();
            Thread.sleep(outcome.callAgainIn().toMillis());
        }
    }

    private static Map<String, Object> withWrites(Map<String, Object> json, int writes) {
        json.put("writes", writes);
        return json;
    }
}
