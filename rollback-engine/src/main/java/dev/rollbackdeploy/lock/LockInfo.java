package dev.rollbackdeploy.lock;

import java.time.Instant;

/**
 * Who holds a target's lock and since when.
 *
 * @param process where the holder runs, e.g. {@code pid 4242 on ci-agent-3}, for a person to check
 */
public record LockInfo(String target, String holder, Instant since, String process) {

    public LockInfo {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("lock target must not be blank, got '" + target + "'");
        }
        if (holder == null || holder.isBlank() || holder.contains("\n") || holder.contains("\t")) {
            throw new IllegalArgumentException("lock holder must be one line of text, got '" + holder + "'");
        }
        if (since == null) {
            throw new IllegalArgumentException("lock of " + target + " needs the time it was taken");
        }
        process = process == null ? "" : process.replaceAll("[\t\n]", " ");
    }

    @Override
    public String toString() {
        return holder + " since " + since + (process.isEmpty() ? "" : " (" + process + ")");
    }
}
