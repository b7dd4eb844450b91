package dev.rollbackdeploy.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a point-in-time recovery did, for the record and the audit log: the program (not its
 * arguments or output, which may hold secrets), who confirmed and why, how it ended.
 *
 * @param exitCode the program's exit code; -1 when it was stopped after its timeout
 */
public record RecoveryRun(String program, RecoveryConfirmation confirmation, int exitCode, Instant startedAt,
        Instant finishedAt) {

    public RecoveryRun {
        if (program == null || confirmation == null || startedAt == null || finishedAt == null
                || finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("a recovery run needs a program, a confirmation and start <= finish, got "
                    + program + ", " + confirmation + ", " + startedAt + ", " + finishedAt);
        }
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String summary() {
        long millis = Duration.between(startedAt, finishedAt).toMillis();
        return "recovery command " + program + (exitCode == -1 ? " timed out" : " exited " + exitCode) + " after "
                + millis + " ms";
    }

    public ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("program", program);
        node.put("confirmedBy", confirmation.by());
        node.put("reason", confirmation.reason());
        node.put("exitCode", exitCode);
        node.put("startedAt", startedAt.toString());
        node.put("finishedAt", finishedAt.toString());
        return node;
    }
}
