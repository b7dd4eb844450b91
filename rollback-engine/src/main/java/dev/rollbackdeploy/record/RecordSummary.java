package dev.rollbackdeploy.record;

import dev.rollbackdeploy.manifest.TemplateHash;
import java.time.Instant;
import java.util.Comparator;

/**
 * What a history listing shows of one record, small enough to keep thousands in memory; load the
 * full record by {@link #build()}.
 */
public record RecordSummary(BuildRef build, String targetKey, StrategyKind strategy, Outcome outcome,
        TemplateHash setHash, Instant startedAt, Instant finishedAt) {

    /** Newest first: higher build number, then later start, then job name for a stable order. */
    public static final Comparator<RecordSummary> NEWEST_FIRST = Comparator
            .comparingInt((RecordSummary s) -> s.build().number()).reversed()
            .thenComparing(RecordSummary::startedAt, Comparator.reverseOrder())
            .thenComparing(s -> s.build().job());

    public RecordSummary {
        if (build == null || targetKey == null || strategy == null || outcome == null || setHash == null
                || startedAt == null || finishedAt == null) {
            throw new IllegalArgumentException("record summary needs every field, got build=" + build
                    + " target=" + targetKey);
        }
    }

    public static RecordSummary of(DeploymentRecord record) {
        return new RecordSummary(record.ref(), record.targetKey(), record.strategy().kind(), record.outcome(),
                record.manifests().setHash(), record.startedAt(), record.finishedAt());
    }
}
