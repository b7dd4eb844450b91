package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.kubernetes.DriftReport;
import dev.rollbackdeploy.operations.TargetStatus;
import dev.rollbackdeploy.record.DeploymentRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What is live on a target against its newest promoted record; changes nothing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Compare what is live on a target with its newest promoted record: in sync, or which objects and "
                + "fields differ (drift: weights set by hand, kubectl edit). Changes nothing; `rollback --to` of that "
                + "build repairs it. Exit 0 either way (see inSync with --json).")
final class StatusCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Mixin
    LiveTargetOptions live;

    @Option(names = "--target", required = true, paramLabel = "KEY", description = "Target key.")
    String target;

    @Override
    ExitCode execute() throws Exception {
        DeploymentRecord record = TargetStatus.newestPromoted(store.open(), target);
        try (LiveTargetOptions.Live opened = live.open(record)) {
            opened.warnings().forEach(w -> console().progress("warning: " + w));
            DriftReport report = TargetStatus.check(record, opened.cluster(), opened.description());
            console().result("Target " + target + " (" + opened.description() + "): " + report.render());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("target", target);
            json.put("against", record.ref().toString());
            json.put("inSync", report.inSync());
            json.put("changedObjects", report.objects().objects().size());
            console().json(json);
            return ExitCode.OK;
        }
    }
}
