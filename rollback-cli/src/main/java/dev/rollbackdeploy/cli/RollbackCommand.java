package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.Datasource;
import dev.rollbackdeploy.operations.OperationContext;
import dev.rollbackdeploy.operations.Restore;
import dev.rollbackdeploy.operations.RestoreRequest;
import dev.rollbackdeploy.operations.RestoreResult;
import dev.rollbackdeploy.operations.SchemaRefusedException;
import dev.rollbackdeploy.plan.Plan;
import dev.rollbackdeploy.plan.PlanRefusedException;
import dev.rollbackdeploy.plan.RestoreOptions;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import dev.rollbackdeploy.schema.SchemaJson;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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

    @Mixin
    DatasourceOptions datasource;

    @Mixin
    RestoreSafetyOptions safety;

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

    @Option(names = "--override-schema", paramLabel = "REASON", description = "Restore although the schema check refuses "
            + "(a contract migration since the build): why the build is safe on the live schema, at least 10 characters. "
            + "Goes into the audit log as an OVERRIDE entry. Does not override an unreachable database or a failed migration.")
    String overrideSchema;

    @Option(names = "--ready-timeout", defaultValue = "PT5M", description = "How long a workload may take to become ready (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Override
    ExitCode execute() throws Exception {
        BuildRef ref = Inputs.build("--to", build);
        Optional<Datasource> database = datasource.open();
        String who = System.getProperty("user.name", "cli");
        OperationContext context = context(store.dir, lock.checkedWait());
        RestoreSafetyOptions.Settings settings = safety.check(context);
        DeploymentRecord record = Records.load(store.open(), ref);
        try (LiveTargetOptions.Live target = live.open(record)) {
            target.warnings().forEach(w -> console().progress("warning: " + w));
            RestoreRequest request = RestoreRequest.of(record, target.cluster(), target.description(),
                    "rollback --to " + ref + " by " + who)
                    .withRegistry(Restore.registries(!skipDigestCheck))
                    .withOptions(new RestoreOptions(prune, allowRecreate))
                    .withReadyTimeout(readyTimeout)
                    .withSchema(database.map(Datasource::preflight))
                    .withSchemaOverride(overrideSchema)
                    .withDryRun(dryRun)
                    .withKillSwitch(settings.spec().killSwitch())
                    .withRecovery(settings.recovery())
                    .withRecordAs(settings.recordAs());
            RestoreResult result = run(context, request, settings);
            Plan plan = result.plan();
            console().result(plan.render());
            Map<String, Object> json = PlanJson.of(ref, plan);
            result.from().ifPresent(from -> json.put("from", from.toString()));
            result.schema().ifPresent(decision -> json.put("schemaCheck", SchemaJson.decision(decision)));
            json.put("status", result.status().name());
            json.put("flags", result.flags().stream().map(f -> Map.of("flag", f.flag(), "before", f.before(),
                    "enabled", f.after())).toList());
            result.recovery().ifPresent(run -> json.put("recovery", run.json()));
            result.recorded().ifPresent(as -> json.put("recorded", as.toString()));
            if (result.status() == RestoreResult.Status.PLAN_REFUSED) {
                console().json(json);
                throw new CliException(ExitCode.REFUSED, new PlanRefusedException(plan.refusals()).getMessage());
            }
            if (result.status() != RestoreResult.Status.RESTORED) {
                console().progress(result.summary());
            }
            json.put("writes", result.writes());
            console().json(json);
            return ExitCode.OK;
        }
    }

    /** The restore; a schema refusal says that the spec's recovery command exists when it was not confirmed. */
    private static RestoreResult run(OperationContext context, RestoreRequest request,
            RestoreSafetyOptions.Settings settings) throws Exception {
        try {
            return Restore.run(context, request);
        } catch (SchemaRefusedException e) {
            if (!settings.recoveryNotConfirmed()) {
                throw e;
            }
            throw new CliException(ExitCode.REFUSED, e.getMessage() + ". The spec configures a recovery command ("
                    + settings.spec().recovery().get().program() + "): run again with --recover REASON (and --recover-to "
                    + "TIME) to put the database back first", e);
        }
    }
}
