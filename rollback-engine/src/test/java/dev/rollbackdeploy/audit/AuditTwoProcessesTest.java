package dev.rollbackdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.record.FileRecordStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs appending to one log at once leave one unbroken chain holding every event. */
class AuditTwoProcessesTest {

    private static final int EACH = 20;

    @TempDir
    Path dir;

    @Test
    void twoProcessesAppendingAtOnceLeaveOneChainWithEveryEvent() throws Exception {
        Path file = dir.resolve("audit/audit.jsonl");
        Process first = AuditProcess.command(file.toString(), String.valueOf(EACH), "first").start();
        Process second = AuditProcess.command(file.toString(), String.valueOf(EACH), "second").start();
        try {
            awaitReady(first);
            awaitReady(second);
            go(first);
            go(second);
            assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("first writer finished").isTrue();
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("second writer finished").isTrue();
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }
        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isZero();

        AuditReport report = new AuditLog(file).verify(new FileRecordStore(dir.resolve("records")));
        assertThat(report.problems()).isEmpty();
        List<AuditEntry> entries = report.entries();
        assertThat(entries).extracting(AuditEntry::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * EACH).boxed().toList());
        assertThat(entries).filteredOn(e -> e.event().actor().equals("first")).hasSize(EACH);
        assertThat(entries).filteredOn(e -> e.event().actor().equals("second")).hasSize(EACH);
    }

    private static void awaitReady(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("READY");
    }

    private static void go(Process process) throws Exception {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }
}
