package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.plan.RestorePlanner;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What restoring a build would change: live versus the record, and the plan. Changes nothing. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show how the live release differs from a recorded build, and the restore plan. Changes nothing.")
final class DiffCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Mixin
    LiveTargetOptions live;

    @Parameters(index = "0", paramLabel = "JOB#N", description = "The recorded build to compare with.")
    String build;

    @Option(names = "--prune", description = "Plan deleting live objects the build did not have.")
    boolean prune;

    @Option(names = "--allow-recreate", description = "Plan re-creating objects whose immutable fields differ.")
    boolean allowRecreate;

    @Override
    ExitCode execute() throws Exception {
        BuildRef ref = Inputs.build("build", build);
        DeploymentRecord record = Records.load(store.open(), ref);
        // The Kubernetes client behind a live target holds connections and threads: closed when done.
        try (LiveTargetOptions.Live target = live.open(record)) {
            target.warnings().forEach(w -> console().progress("warning: " + w));
            Plan plan;
            try {
                plan = new RestorePlanner().plan(record.manifests(), target.cluster().observe(),
                        new RestoreOptions(prune, allowRecreate));
            } catch (java.io.IOException e) {
                throw new CliException(ExitCode.INFRASTRUCTURE, "cannot read " + target.description() + ": " + e.getMessage(), e);
            }
            console().result("Live (" + target.description() + ") versus " + ref + ":\n" + plan.render());
            console().json(PlanJson.of(ref, plan));
            return ExitCode.OK;
        }
    }
}
