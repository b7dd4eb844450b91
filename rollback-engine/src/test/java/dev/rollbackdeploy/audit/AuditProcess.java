package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.record.BuildRef;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second writer process for audit tests: {@code <log> <count> <actor>} prints READY, waits for a
 * line on stdin (so two processes start appending together), then appends {@code count} events.
 */
public final class AuditProcess {

    private AuditProcess() {
    }

    public static void main(String[] args) throws Exception {
        AuditLog log = new AuditLog(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int i = 1; i <= count; i++) {
            log.append(new AuditEvent(AuditFixtures.T0.plusSeconds(i), args[2], AuditAction.DEPLOY, AuditFixtures.TARGET,
                    null, new BuildRef("shop", i), "append " + i + " of " + args[2], "", null));
        }
    }

    static ProcessBuilder command(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 4];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = AuditProcess.class.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }
}
