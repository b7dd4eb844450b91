package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.record.CorruptRecordException;
import dev.rollbackdeploy.record.RecordSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists a target's records, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "List a target's deployment records, newest first.")
final class HistoryCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Option(names = "--target", required = true, paramLabel = "KEY", description = "Target key.")
    String targetKey;

    @Override
    ExitCode execute() throws Exception {
        List<RecordSummary> records;
        try {
            records = store.open().list(targetKey);
        } catch (CorruptRecordException e) {
            throw new CliException(ExitCode.REFUSED, e.getMessage(), e);
        }
        StringBuilder text = new StringBuilder();
        if (records.isEmpty()) {
            text.append("no records for target ").append(targetKey).append(" in ").append(store.dir).append('\n');
        }
        for (RecordSummary r : records) {
            text.append(String.format("%-24s %-12s %-10s %s  %s%n", r.build(), r.outcome().status(), r.strategy(),
                    r.startedAt(), r.setHash()));
        }
        console().result(text.toString());
        console().json(Map.of("target", targetKey, "records", records.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("build", r.build().toString());
            row.put("outcome", r.outcome().status().name());
            row.put("strategy", r.strategy().name());
            row.put("startedAt", r.startedAt().toString());
            row.put("setHash", r.setHash().toString());
            return row;
        }).toList()));
        return ExitCode.OK;
    }
}
