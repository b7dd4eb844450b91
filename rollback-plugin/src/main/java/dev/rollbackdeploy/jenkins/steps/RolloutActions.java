package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.jenkins.ui.DeploymentRecordAction;
import dev.rollbackdeploy.operations.Deployment;
import hudson.model.Run;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the front door's outcome into what Jenkins keeps and what a Pipeline script gets back. */
final class RolloutActions {

    private RolloutActions() {
    }

    /**
     * Puts the recorded outcome on the build page (the record beside {@code build.xml}, a DEPLOY line on
     * the job's Deployments page) and saves the build; an outcome without a record (nothing was deployed)
     * adds nothing.
     */
    static void attach(Run<?, ?> run, Deployment.Finished finished) throws IOException {
        if (finished.record() != null) {
            DeploymentRecordAction.attachRecordToRun(run, finished.record());
        }
    }

    /**
     * {@code [status:, reason:, build:, looks:, flags:]}: plain values a {@code script {}} block can use; {@code flags}
     * the kill switch's flags as recorded (empty without a kill switch).
     */
    static Map<String, Object> result(Deployment.Finished finished) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", finished.status().name());
        result.put("reason", finished.reason());
        result.put("build", finished.record() == null ? null : finished.record().ref().toString());
        result.put("looks", finished.looks());
        result.put("flags", FlagResults.of(finished.record()));
        return result;
    }
}
