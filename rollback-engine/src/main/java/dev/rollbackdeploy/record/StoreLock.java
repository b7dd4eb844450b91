package dev.rollbackdeploy.record;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes writers of one store: across processes with an OS lock on {@code <root>/.lock}, and
 * within this JVM with a lock per root, because the JVM holds OS file locks per process and would
 * throw {@code OverlappingFileLockException} at a second thread instead of making it wait.
 */
final class StoreLock {

    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock jvmLock;

    /** @param root an existing directory, as a real path so two spellings share one lock */
    StoreLock(Path root) {
        this.lockFile = root.resolve(".lock");
        this.jvmLock = IN_THIS_JVM.computeIfAbsent(root, r -> new ReentrantLock());
    }

    <T> T holding(Locked<T> action) throws IOException, InterruptedException {
        try {
            jvmLock.lockInterruptibly();
        } catch (InterruptedException e) {
            // Keep the flag for callers up the stack that poll it instead of catching (Pipeline steps).
            Thread.currentThread().interrupt();
            throw e;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // Closing the channel releases the lock, also when the action throws.
            channel.lock();
            return action.run();
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // The channel was closed by an interrupt while waiting; the flag is already set again.
            InterruptedException interrupted = new InterruptedException("interrupted waiting for " + lockFile);
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            jvmLock.unlock();
        }
    }
}
