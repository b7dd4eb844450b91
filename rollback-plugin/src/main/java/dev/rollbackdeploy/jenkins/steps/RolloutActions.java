package dev.rollbackdeploy.jenkins.steps;

import dev.rollbackdeploy.operations.Deployment;
import hudson.model.Run;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the front door's outcome into what Jenkins keeps and what a Pipeline script gets back. */
final class RolloutActions {

    private RolloutActions() {
    }

    /** Adds the outcome to the build ({@code build.xml}) and saves it. */
    static void attach(Run<?, ?> run, Deployment.Finished finished) throws IOException {
        var record = finished.record();
        run.addAction(new DeploymentAction("canaryDeploy", record == null ? null : record.ref().toString(),
                record == null ? null : record.targetKey(), finished.status().name(), finished.reason(), finished.looks(),
                record == null ? null : record.manifests().setHash().toString()));
        run.save();
    }

    /** {@code [status:, reason:, build:, looks:]}: plain strings a {@code script {}} block can use. */
    static Map<String, Object> result(Deployment.Finished finished) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", finished.status().name());
        result.put("reason", finished.reason());
        result.put("build", finished.record() == null ? null : finished.record().ref().toString());
        result.put("looks", finished.looks());
        return result;
    }
}
