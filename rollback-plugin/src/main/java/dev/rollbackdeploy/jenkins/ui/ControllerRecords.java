package dev.rollbackdeploy.jenkins.ui;

import dev.rollbackdeploy.record.FileRecordStore;
import java.nio.file.Path;
import jenkins.model.Jenkins;

/**
 * The controller's one record store ({@code JENKINS_HOME/rollback-deploy/records}, locks next to it),
 * where the steps write records and where a restore reads them: the same layout as the steps'
 * {@code StepSupport.storeDir()} (which should call this once both are merged).
 */
public final class ControllerRecords {

    private ControllerRecords() {
    }

    public static Path storeDir() {
        return Jenkins.get().getRootDir().toPath().resolve("rollback-deploy").resolve("records");
    }

    public static FileRecordStore store() {
        return new FileRecordStore(storeDir());
    }
}
