package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.lock.FileTargetLock;
import dev.rollbackdeploy.lock.TargetLock;
import dev.rollbackdeploy.lock.TargetLockedException;
import dev.rollbackdeploy.record.RecordStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The append-only, hash-chained audit log: one JSON line per {@link AuditEvent}, each carrying the
 * previous line's SHA-256, plus a head file ({@code <log>.head}) naming the last entry so removals
 * from the end show too. Appends from any number of threads and processes sharing the file are
 * serialized by an OS lock ({@code <log>.lock}, a {@link FileTargetLock}); each is one write of one
 * whole line, forced to disk before the head moves.
 *
 * <p>Tamper-evident, not tamper-proof: whoever can write the file can recompute the whole chain.
 * Copy the head hash somewhere else (a build log, a ticket) to anchor it.
 */
public final class AuditLog {

    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    private static final int MAX_LINE = 1 << 20;

    private final Path file;
    private final AuditCodec codec = new AuditCodec();

    /** @param file the log file; it and its directory are created on the first append */
    public AuditLog(Path file) {
        if (file == null || file.getFileName() == null) {
            throw new IllegalArgumentException("audit log needs a file path, got " + file);
        }
        this.file = file.toAbsolutePath().normalize();
    }

    /** The log every tool sharing a record store uses: {@code audit/audit.jsonl} beside the store's directory. */
    public static AuditLog besideStore(Path storeDir) {
        Path store = storeDir.toAbsolutePath().normalize();
        Path base = store.getParent() == null ? store : store.getParent();
        return new AuditLog(base.resolve("audit").resolve("audit.jsonl"));
    }

    public Path file() {
        return file;
    }

    /** Whether anything was ever appended here: the log or its head is on disk. */
    public boolean exists() {
        return Files.exists(file) || Files.exists(headFile());
    }

    Path headFile() {
        return file.resolveSibling(file.getFileName() + ".head");
    }

    /**
     * Appends one event as the next entry of the chain. Atomic: afterwards the entry is wholly in
     * the log or not at all. Not idempotent: appending an event twice logs it twice.
     *
     * @throws AuditLogCorruptException the log's end is not a whole, verified entry; nothing was written
     * @throws IOException              the log could not be locked or written
     * @throws InterruptedException     waiting for another writer was interrupted; nothing was written
     */
    public AuditEntry append(AuditEvent event) throws IOException, InterruptedException {
        if (event == null) {
            throw new IllegalArgumentException("audit event must not be null");
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        TargetLock lock = new FileTargetLock(dir);
        try (TargetLock.Held held = lock.acquire(file.getFileName().toString(), "audit append by " + event.actor(),
                LOCK_WAIT)) {
            AuditEntry last = lastEntry();
            long seq = last == null ? 1 : last.seq() + 1;
            AuditEntry entry = codec.chain(seq, last == null ? AuditEntry.GENESIS : last.hash(), event);
            boolean created = !Files.exists(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                writeFully(channel, codec.line(entry), -1);
                channel.force(true);
            }
            if (created) {
                forceDirectory(dir);
            }
            try (FileChannel channel = FileChannel.open(headFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                writeFully(channel, new Head(entry.seq(), entry.hash()).bytes(), 0);
                channel.force(true);
            }
            return entry;
        } catch (TargetLockedException e) {
            throw new IOException("audit log " + file + " stayed locked by another writer for " + LOCK_WAIT.toSeconds()
                    + " s: " + e.getMessage(), e);
        }
    }

    /**
     * Every entry, in file order, each checked against its own hash. Read-only; use {@link #verify}
     * for the chain, the head and the records.
     *
     * @throws AuditLogCorruptException a line is cut off, unreadable or edited
     */
    public List<AuditEntry> read() throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        for (AuditVerifier.Line line : lines()) {
            entries.add(checked(line));
        }
        return entries;
    }

    /**
     * Checks the whole log, its head, every record it names against the store, and that every record
     * in the store is named by an entry. Read-only; reads each record file once.
     */
    public AuditReport verify(RecordStore store) throws IOException, InterruptedException {
        if (store == null) {
            throw new IllegalArgumentException("verifying the audit log needs the record store its entries name");
        }
        Optional<byte[]> head = Files.exists(headFile()) ? Optional.of(Files.readAllBytes(headFile())) : Optional.empty();
        return new AuditVerifier().verify(lines(), head, store.inventory());
    }

    /** The last entry, verified, or null for an empty log; refuses a log whose end cannot be trusted. */
    private AuditEntry lastEntry() throws IOException {
        Optional<Head> head = readHead();
        byte[] tail = tail();
        if (tail.length == 0) {
            if (head.isPresent()) {
                throw new AuditLogCorruptException("audit log " + file + " is empty or missing but its head says entry #"
                        + head.get().seq() + " was written: entries were removed. Nothing was appended; run "
                        + "'rollback audit --verify' and restore the log from a copy");
            }
            return null;
        }
        if (tail[tail.length - 1] != '\n') {
            throw new AuditLogCorruptException("audit log " + file + " ends with an incomplete line (no newline after the "
                    + "last entry): a write was cut off or the file was edited. Nothing was appended; run "
                    + "'rollback audit --verify', then remove the partial line by hand if it is only a cut-off write");
        }
        int start = tail.length - 1;
        while (start > 0 && tail[start - 1] != '\n') {
            start--;
        }
        AuditEntry last = checked(new AuditVerifier.Line(0, AuditCodec.utf8(tail, start, tail.length - 1), true));
        if (head.isPresent() && (head.get().seq() > last.seq()
                || head.get().seq() == last.seq() && !head.get().hash().equals(last.hash()))) {
            throw new AuditLogCorruptException("audit log " + file + " ends at entry #" + last.seq() + " ("
                    + last.hash() + ") but its head says #" + head.get().seq() + " (" + head.get().hash()
                    + "): entries were removed or replaced. Nothing was appended; run 'rollback audit --verify'");
        }
        return last;
    }

    private AuditEntry checked(AuditVerifier.Line line) throws AuditLogCorruptException {
        String where = "audit log " + file + (line.number() > 0 ? " line " + line.number() : " last line");
        if (!line.complete()) {
            throw new AuditLogCorruptException(where + " is cut off (no newline); run 'rollback audit --verify'");
        }
        AuditCodec.Decoded decoded;
        try {
            decoded = codec.decode(line.text());
        } catch (IllegalArgumentException e) {
            throw new AuditLogCorruptException(where + " is not an audit entry: " + e.getMessage()
                    + "; run 'rollback audit --verify'");
        }
        if (!decoded.intact()) {
            throw new AuditLogCorruptException(where + " (entry #" + decoded.entry().seq() + ") was edited: it hashes to "
                    + decoded.computedHash() + ", not " + decoded.entry().hash() + "; run 'rollback audit --verify'");
        }
        return decoded.entry();
    }

    private Optional<Head> readHead() throws IOException {
        try {
            return Optional.of(Head.parse(Files.readAllBytes(headFile())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new AuditLogCorruptException("audit log head " + headFile() + " is unreadable (" + e.getMessage()
                    + "); nothing was appended; run 'rollback audit --verify'");
        }
    }

    /** The end of the log: enough bytes to hold its last line, or all of it. */
    private byte[] tail() throws IOException {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int length = (int) Math.min(size, MAX_LINE);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, size - length + buffer.position()) >= 0) {
                // read until full
            }
            byte[] bytes = buffer.array();
            if (length == MAX_LINE && size > MAX_LINE) {
                boolean hasEarlierNewline = false;
                for (int i = 0; i < length - 1 && !hasEarlierNewline; i++) {
                    hasEarlierNewline = bytes[i] == '\n';
                }
                if (!hasEarlierNewline) {
                    throw new AuditLogCorruptException("audit log " + file + " ends with a line over " + MAX_LINE
                            + " bytes: not written by an audit log writer; run 'rollback audit --verify'");
                }
            }
            return bytes;
        }
    }

    private List<AuditVerifier.Line> lines() throws IOException {
        List<AuditVerifier.Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        long number = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new AuditVerifier.Line(number++, AuditCodec.utf8(bytes, start, i), true));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(new AuditVerifier.Line(number, AuditCodec.utf8(bytes, start, bytes.length), false));
        }
        return lines;
    }

    private static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (position < 0) {
                channel.write(buffer);
            } else {
                channel.write(buffer, position + buffer.position());
            }
        }
    }

    /** Makes the new log file's directory entry durable (POSIX; elsewhere as durable as the platform makes it). */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e instanceof IOException io ? io : new IOException("cannot sync directory " + dir, e);
            }
        }
    }
}
