package dev.rollbackdeploy.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of {@code rollback-demo.jar}, run by demo.sh:
 * <ul>
 * <li>{@code environment ENV_FILE} — start the demo's target (sample service, HAProxy, Prometheus, load)
 * and serve until SIGTERM; endpoints go into ENV_FILE;</li>
 * <li>{@code jenkins ENV_FILE BUNDLE_ENV JENKINSFILE WORK_DIR [--click]} — the story in the real Jenkins,
 * logged in as admin with the password in {@code DEMO_ADMIN_PASSWORD}.</li>
 * </ul>
 * Exit 0 when everything it checked held, 1 with the reason otherwise, 2 on bad arguments.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) {
        try {
            if (args.length == 2 && args[0].equals("environment")) {
                DemoEnvironment.run(Path.of(args[1]), System.out);
                return;
            }
            if ((args.length == 5 || args.length == 6 && args[5].equals("--click")) && args[0].equals("jenkins")) {
                String password = System.getenv("DEMO_ADMIN_PASSWORD");
                if (password == null || password.isEmpty()) {
                    fail(2, "DEMO_ADMIN_PASSWORD must hold the demo admin's password");
                }
                Map<String, String> environment = EnvFile.read(Path.of(args[1]));
                Map<String, String> jenkins = EnvFile.read(Path.of(args[2]));
                new JenkinsDemo(new JenkinsDemo.Settings(environment, jenkins, password, Path.of(args[3]), Path.of(args[4]),
                        args.length == 6), System.out).run();
                return;
            }
            fail(2, "usage: rollback-demo.jar environment ENV_FILE\n"
                    + "       rollback-demo.jar jenkins ENV_FILE BUNDLE_ENV JENKINSFILE WORK_DIR [--click]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(1, "interrupted");
        } catch (Exception e) {
            fail(1, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static void fail(int code, String message) {
        System.out.flush();
        System.err.println("FAILED: " + message);
        System.exit(code);
    }
}
