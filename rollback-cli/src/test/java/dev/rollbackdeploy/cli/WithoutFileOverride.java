package dev.rollbackdeploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI as a user who meets file permissions. Tests here run as root, which reads any file,
 * so a "permission denied" store cannot be made with chmod alone: as root the CLI runs in a child
 * JVM whose capabilities to bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) are
 * dropped with util-linux {@code setpriv}; as anyone else it runs in-process.
 */
final class WithoutFileOverride {

    private static final String SETPRIV = "/usr/bin/setpriv";

    /** Runs the CLI in this JVM. */
    @FunctionalInterface
    interface Runner {
        CliRun run(String... args);
    }

    private WithoutFileOverride() {
    }

    static boolean isRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor(10, TimeUnit.SECONDS);
        return uid.equals("0");
    }

    static CliRun run(Runner inProcess, String... args) throws IOException, InterruptedException {
        if (!isRoot()) {
            return inProcess.run(args);
        }
        if (!Files.isExecutable(Path.of(SETPRIV))) {
            throw new AssertionError("running as root, this test needs " + SETPRIV
                    + " (util-linux) to drop the capabilities that bypass file permissions");
        }
        List<String> command = new ArrayList<>(List.of(SETPRIV, "--bounding-set=-dac_override,-dac_read_search",
                "--inh-caps=-dac_override,-dac_read_search",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RollbackCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        // Outputs are small; read stderr on a thread so neither pipe can fill and block the child.
        byte[][] err = new byte[1][];
        Thread errReader = new Thread(() -> {
            try {
                err[0] = process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        errReader.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 60 s: " + command);
        }
        errReader.join();
        return new CliRun(process.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
    }
}
