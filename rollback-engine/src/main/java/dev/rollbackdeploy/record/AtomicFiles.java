package dev.rollbackdeploy.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see the old state or the whole new file, even across a crash:
 * temp file in the same directory, data forced to disk, atomic rename, directory forced.
 */
public final class AtomicFiles {

    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} whole for a file other modules own (a flag-definitions file): readers see the
     * old content or the new, never a part; the rename is made durable.
     */
    public static void replace(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        write(absolute, bytes, () -> { });
        forceDirectory(absolute.getParent());
    }

    /** @param beforeRename runs after the data is durable and before it becomes visible (tests crash here) */
    static void write(Path target, byte[] bytes, Runnable beforeRename) throws IOException {
        Path dir = target.getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            beforeRename.run();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Makes a rename or a new entry in this directory durable. POSIX only: other systems cannot open
     * a directory for reading, and there the rename is as durable as the platform makes it.
     */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e instanceof IOException io ? io : new IOException("cannot sync directory " + dir, e);
            }
        }
    }

    static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }
}
