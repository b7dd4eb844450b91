package dev.rollbackdeploy.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Target locks as files in a directory ({@code <dir>/<target>.lock}), for targets that have no lock
 * service of their own. The lock is an OS file lock, so a holder that dies (crash, {@code kill -9})
 * loses it at once and the next mutator takes over; the file's text says who holds it and since when,
 * for the message a waiting mutator gets. The file is never deleted (deleting would let two processes
 * lock two different files of the same name); released, it is emptied.
 *
 * <p>All holders must share the directory (one machine, or one Jenkins controller). The JVM keeps OS
 * file locks per process, so locks taken in this JVM are also tracked here, and every open and close
 * of a lock file in this JVM is serialized: closing any channel of a file drops the process's lock on
 * it on POSIX systems.
 */
public final class FileTargetLock implements TargetLock {

    private static final Object JVM_WIDE = new Object();
    private static final Map<Path, LockInfo> HELD_HERE = new HashMap<>();
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path dir;
    private final Clock clock;

    public FileTargetLock(Path dir, Clock clock) {
        if (dir == null || clock == null) {
            throw new IllegalArgumentException("a file lock needs a directory and a clock, got " + dir + " and " + clock);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public FileTargetLock(Path dir) {
        this(dir, Clock.systemUTC());
    }

    @Override
    public Held acquire(String target, String holder, Duration wait)
            throws TargetLockedException, IOException, InterruptedException {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("lock wait must be zero or positive, got " + wait);
        }
        LockInfo wanted = new LockInfo(target, holder, clock.instant(), ProcessInfo.describe());
        Path file = file(target);
        Files.createDirectories(dir);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Held held = tryTake(file, wanted);
            if (held != null) {
                return held;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LockInfo current = holder(target).orElse(new LockInfo(target, "another mutator", clock.instant(), ""));
                throw new TargetLockedException(current, wait);
            }
            Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
        }
    }

    @Override
    public Optional<LockInfo> holder(String target) throws IOException {
        Path file = file(target);
        synchronized (JVM_WIDE) {
            LockInfo here = HELD_HERE.get(file);
            if (here != null) {
                return Optional.of(here);
            }
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    lock.release();
                    return Optional.empty();
                }
                return Optional.of(parse(target, read(channel)).orElse(
                        new LockInfo(target, "another mutator", clock.instant(), "it has not written its name yet")));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
    }

    private Held tryTake(Path file, LockInfo wanted) throws IOException {
        synchronized (JVM_WIDE) {
            if (HELD_HERE.containsKey(file)) {
                return null;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                channel.close();
                if (e instanceof IOException io) {
                    throw io;
                }
                return null;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            try {
                Optional<LockInfo> abandoned = parse(wanted.target(), read(channel));
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(format(wanted).getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(true);
                HELD_HERE.put(file, wanted);
                return new FileHeld(file, channel, lock, wanted, abandoned);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** The lock file of a target: its key with anything but [A-Za-z0-9._-] replaced, plus a hash when changed. */
    Path file(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("lock target must not be blank, got '" + target + "'");
        }
        String safe = target.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(target) || safe.startsWith(".")) {
            safe = safe.replaceAll("^\\.+", "_") + "-" + Integer.toHexString(target.hashCode());
        }
        return dir.resolve(safe + ".lock");
    }

    private static String format(LockInfo info) {
        return info.holder() + "\t" + info.since() + "\t" + info.process() + "\n";
    }

    private static Optional<LockInfo> parse(String target, String text) {
        String[] fields = text.strip().split("\t", -1);
        if (text.isBlank() || fields.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockInfo(target, fields[0], Instant.parse(fields[1]), fields.length > 2 ? fields[2] : ""));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.of(new LockInfo(target, "an unreadable holder", Instant.EPOCH, "lock file text: " + text.strip()));
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static final class FileHeld implements Held {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private final LockInfo info;
        private final Optional<LockInfo> abandoned;
        private boolean closed;

        FileHeld(Path file, FileChannel channel, FileLock lock, LockInfo info, Optional<LockInfo> abandoned) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            this.info = info;
            this.abandoned = abandoned;
        }

        @Override
        public LockInfo info() {
            return info;
        }

        @Override
        public Optional<LockInfo> tookOverFrom() {
            return abandoned;
        }

        @Override
        public void close() throws IOException {
            synchronized (JVM_WIDE) {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    channel.truncate(0);
                    channel.force(true);
                    lock.release();
                } finally {
                    HELD_HERE.remove(file);
                    channel.close();
                }
            }
        }
    }

    /** Where this JVM runs, for a person reading "locked by …". */
    static final class ProcessInfo {
        private static volatile String host;

        private ProcessInfo() {
        }

        static String describe() {
            String name = host;
            if (name == null) {
                try {
                    name = java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    name = "unknown host";
                }
                host = name;
            }
            return "pid " + ProcessHandle.current().pid() + " on " + name;
        }
    }
}
