package dev.rollbackdeploy.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server process started on loopback for the drill or a test: its output goes to a log file
 * whose tail is quoted whenever it fails to start, and closing it always stops it.
 */
public final class LocalServer implements AutoCloseable {

    /** Asked repeatedly until the server answers; an exception counts as "not yet". */
    @FunctionalInterface
    public interface ReadyCheck {
        boolean ready() throws IOException;
    }

    // Ctrl-C runs shutdown hooks but never unwinds the thread that started a server, so its close()
    // would not run: one hook stops whatever is still up (not after SIGKILL, which runs nothing).
    // JVM shutdown hooks run concurrently, so anything that must happen before the servers stop (put
    // traffic back on stable) is run by this one hook, first.
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final List<Runnable> BEFORE_STOP = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            BEFORE_STOP.forEach(LocalServer::runQuietly);
            RUNNING.forEach(Process::destroy);
        }, "local-servers-stop"));
    }

    /**
     * Runs {@code action} on JVM shutdown (Ctrl-C) before any local server is stopped; close the
     * returned handle once it is no longer needed.
     */
    public static Registration beforeStopOnShutdown(Runnable action) {
        BEFORE_STOP.add(action);
        return () -> BEFORE_STOP.remove(action);
    }

    /** A shutdown action's registration; closing it removes the action. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("shutdown action failed: " + e);
        }
    }

    private final String name;
    private final Process process;
    private final Path log;

    private LocalServer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the command in {@code workDir} and waits until {@code check} passes.
     *
     * @throws IOException naming the server, with its log tail, when it exits or is not ready in time
     */
    public static LocalServer start(String name, List<String> command, Path workDir, Duration readyTimeout,
            ReadyCheck check) throws IOException, InterruptedException {
        Path log = workDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        RUNNING.add(process);
        LocalServer server = new LocalServer(name, process, log);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting ("
                        + String.join(" ", command) + "):\n" + tail(log, 20));
            }
            if (isReady(check)) {
                return server;
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IOException(name + " was not ready within " + readyTimeout.toMillis() + " ms:\n" + tail(log, 20));
            }
            Thread.sleep(50);
        }
    }

    private static boolean isReady(ReadyCheck check) {
        try {
            return check.ready();
        } catch (IOException notYet) {
            return false;
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        return tail(log, lines);
    }

    /** Kills the process at once (SIGKILL), as a crash would: for failure tests. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        RUNNING.remove(process);
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        RUNNING.remove(process);
    }

    /**
     * Stops the process and deletes its working directory; never throws (an interrupt is kept), so
     * it is safe in close() methods and shutdown hooks.
     */
    public void stopAndDelete(Path workDir) {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + workDir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
