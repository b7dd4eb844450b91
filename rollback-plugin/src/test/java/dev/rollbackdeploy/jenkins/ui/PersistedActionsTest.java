package dev.rollbackdeploy.jenkins.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.record.DeploymentRecord;
import hudson.util.XStream2;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the plugin keeps in {@code build.xml} and the job's history file survives XStream, the way Jenkins
 * persists it: written, read back and written again gives the same XML, with no transient run inside.
 */
class PersistedActionsTest {

    private static final XStream2 XSTREAM = new XStream2();

    @Test
    void theBuildsRecordSummarySurvivesXStreamWithItsRollbackHistory() throws Exception {
        DeploymentRecord record = Records.of(new BuildRef("shop", 42), "shop-vms", Path.of("/run/haproxy.sock"), 0, 100);
        DeploymentRecordAction action = new DeploymentRecordAction(record);
        String xml = XSTREAM.toXML(action);

        Object back = XSTREAM.fromXML(xml);

        assertThat(back).isInstanceOf(DeploymentRecordAction.class);
        assertThat(XSTREAM.toXML(back)).isEqualTo(xml);
        assertThat(xml).contains("shop#42").contains("shop-vms").doesNotContain("<run");
        DeploymentRecordAction read = (DeploymentRecordAction) back;
        assertThat(read.getRollbacks()).isEmpty();
    }

    @Test
    void aHistoryEntrySurvivesXStream() {
        HistoryEntry entry = new HistoryEntry(HistoryEntry.Kind.ROLLBACK, "shop-vms", "shop#42", "shop#41", "alice",
                "2026-12-04T10:00:00Z", "restored by rollbackTo", "RESTORED", 1);
        String xml = XSTREAM.toXML(entry);

        Object back = XSTREAM.fromXML(xml);

        assertThat(XSTREAM.toXML(back)).isEqualTo(xml);
        assertThat(((HistoryEntry) back).getTo()).isEqualTo("shop#41");
        assertThat(((HistoryEntry) back).isEffective()).isTrue();
    }
}
