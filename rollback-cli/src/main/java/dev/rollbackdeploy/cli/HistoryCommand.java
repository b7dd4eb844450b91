package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.record.RecordListing;
import dev.rollbackdeploy.record.RecordSummary;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Lists a target's records, newest first. A record that cannot be trusted is flagged with its file
 * and why, below the intact ones, and the exit is 6 so a script notices; a store that cannot be read
 * is exit 5 saying why, never "no records".
 */
@Command(name = "history", mixinStandardHelpOptions = true, description = "List a target's deployment records, newest first.")
final class HistoryCommand extends CliCommand {

    @Mixin
    StoreOption store;

    @Option(names = "--target", required = true, paramLabel = "KEY", description = "Target key.")
    String targetKey;

    @Override
    ExitCode execute() throws Exception {
        RecordListing listing;
        try {
            listing = store.open().listing(targetKey);
        } catch (IOException e) {
            throw new CliException(ExitCode.INFRASTRUCTURE, e.getMessage(), e);
        }
        List<RecordSummary> records = listing.records();
        StringBuilder text = new StringBuilder();
        if (records.isEmpty() && listing.complete()) {
            text.append("no records for target ").append(targetKey).append(" in ").append(store.dir).append('\n');
        }
        for (RecordSummary r : records) {
            text.append(String.format("%-24s %-12s %-10s %s  %s%n", r.build(), r.outcome().status(), r.strategy(),
                    r.startedAt(), r.setHash()));
        }
        for (RecordListing.Unreadable bad : listing.unreadable()) {
            text.append("UNREADABLE ").append(bad.file()).append(": ").append(bad.reason()).append('\n');
        }
        if (!listing.complete()) {
            text.append(listing.unreadable().size()).append(" record file(s) cannot be trusted and were left as they are;")
                    .append(" the builds listed above can still be restored\n");
        }
        console().result(text.toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", targetKey);
        json.put("records", records.stream().map(HistoryCommand::row).toList());
        json.put("unreadable", listing.unreadable().stream()
                .map(u -> Map.of("file", u.file(), "problem", u.reason())).toList());
        console().json(json);
        return listing.complete() ? ExitCode.OK : ExitCode.REFUSED;
    }

    private static Map<String, Object> row(RecordSummary r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("build", r.build().toString());
        row.put("outcome", r.outcome().status().name());
        row.put("strategy", r.strategy().name());
        row.put("startedAt", r.startedAt().toString());
        row.put("setHash", r.setHash().toString());
        return row;
    }
}
