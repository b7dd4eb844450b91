package dev.rollbackdeploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs a Debian package when its binary is missing (tests and the drill run as root here). */
public final class DebianPackages {

    // Tests in other JVMs may be installing at the same moment: wait for dpkg's lock, don't fail on it.
    private static final String LOCK_WAIT = "DPkg::Lock::Timeout=300";

    private static boolean updated;

    private DebianPackages() {
    }

    /**
     * Makes sure {@code binary} exists, installing {@code debianPackage} with apt-get if not.
     *
     * @throws IOException naming the package and the tail of apt-get's output when it cannot be installed
     */
    public static synchronized Path ensure(String debianPackage, String binary) throws IOException, InterruptedException {
        Path path = Path.of(binary);
        if (Files.isExecutable(path)) {
            return path;
        }
        System.err.println("installing Debian package " + debianPackage + " (" + binary + " is missing)...");
        if (!updated) {
            run(List.of("apt-get", "-o", LOCK_WAIT, "update"), debianPackage);
            updated = true;
        }
        run(List.of("apt-get", "-o", LOCK_WAIT, "install", "-y", "--no-install-recommends", debianPackage), debianPackage);
        if (!Files.isExecutable(path)) {
            throw new IOException("installed Debian package " + debianPackage + " but " + binary + " is still missing");
        }
        return path;
    }

    private static void run(List<String> command, String debianPackage) throws IOException, InterruptedException {
        Path log = Files.createTempFile("apt-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " took over 10 minutes; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException("could not install Debian package " + debianPackage + ": '" + String.join(" ", command)
                    + "' exited with " + process.exitValue() + ":\n" + LocalServer.tail(log, 15)
                    + "\nInstall it by hand (apt-get install -y " + debianPackage + ") and run again.");
        }
    }
}
