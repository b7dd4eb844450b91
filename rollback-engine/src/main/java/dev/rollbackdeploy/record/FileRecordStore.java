package dev.rollbackdeploy.record;

import dev.rollbackdeploy.image.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Records as files: {@code <root>/<target key>/<job>/<number>.json}, names encoded by
 * {@link PathEncoding} (injective, so two targets or jobs never share a directory). Writes are
 * atomic ({@link AtomicFiles}) and serialized by {@link StoreLock}; readers take no lock because a
 * record file only ever appears whole. Temp files left by a crash ({@code .*.tmp}) are ignored.
 *
 * <p>Listing keeps a summary per file, valid while the file's modification time, size and file key
 * (inode) are unchanged, so a second listing of 10,000 records costs one stat per file. A file
 * changed in any of those is read and verified again; {@link #load} always verifies in full.
 */
public final class FileRecordStore implements RecordStore {

    private static final Pattern RECORD_FILE = Pattern.compile("[1-9][0-9]{0,8}\\.json");

    private record Indexed(FileTime modified, long size, Object fileKey, RecordSummary summary) {
    }

    private record Entry(Path file, RecordSummary summary) {
    }

    /** A record file and the build number its name gives. */
    private record RecordFile(Path path, int number) {
    }

    private final Path root;
    private final Runnable beforeRename;
    private final RecordCodec codec = new RecordCodec();
    private final ConcurrentHashMap<Path, Indexed> index = new ConcurrentHashMap<>();

    /** @param root the store's directory; created on the first save */
    public FileRecordStore(Path root) {
        this(root, () -> { });
    }

    /** For crash tests: {@code beforeRename} runs when a new record is durable but not yet visible. */
    FileRecordStore(Path root, Runnable beforeRename) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.beforeRename = beforeRename;
    }

    @Override
    public void save(DeploymentRecord record) throws IOException, InterruptedException {
        byte[] bytes = codec.encode(record);
        String targetName = PathEncoding.encode("target key", record.targetKey());
        String jobName = PathEncoding.encode("build job", record.ref().job());
        try {
            saveEncoded(record, bytes, targetName, jobName);
        } catch (IOException e) {
            throw StoreErrors.describe("cannot write the record of " + record.ref() + " to record store " + root, e);
        }
    }

    private void saveEncoded(DeploymentRecord record, byte[] bytes, String targetName, String jobName)
            throws IOException, InterruptedException {
        Files.createDirectories(root);
        Path realRoot = root.toRealPath();
        new StoreLock(realRoot).holding(() -> {
            List<Path> existing = locate(record.ref());
            if (!existing.isEmpty()) {
                if (existing.size() == 1 && Arrays.equals(Files.readAllBytes(existing.get(0)), bytes)) {
                    return null;
                }
                throw new RecordConflictException(record.ref(), existing.get(0).toString());
            }
            Path jobDir = realRoot.resolve(targetName).resolve(jobName);
            Files.createDirectories(jobDir);
            AtomicFiles.write(jobDir.resolve(record.ref().number() + ".json"), bytes, beforeRename);
            AtomicFiles.forceDirectory(jobDir);
            AtomicFiles.forceDirectory(jobDir.getParent());
            AtomicFiles.forceDirectory(realRoot);
            return null;
        });
    }

    @Override
    public DeploymentRecord load(BuildRef build) throws IOException {
        try {
            return loadLocated(build);
        } catch (IOException e) {
            throw StoreErrors.describe("cannot read the record of " + build + " in record store " + root, e);
        }
    }

    /** The SHA-256 of the record file's bytes as they are, after verifying them as {@link #load} does. */
    @Override
    public Digest storedHash(BuildRef build) throws IOException {
        try {
            return verifiedHash(located(build));
        } catch (IOException e) {
            throw StoreErrors.describe("cannot read the record of " + build + " in record store " + root, e);
        }
    }

    private DeploymentRecord loadLocated(BuildRef build) throws IOException {
        return read(located(build));
    }

    private Path located(BuildRef build) throws IOException {
        List<Path> found = locate(build);
        if (found.isEmpty()) {
            throw new NoSuchRecordException(build, root.toString());
        }
        if (found.size() > 1) {
            throw new IOException("more than one record for " + build + ": " + found
                    + "; a build records one deployment, so the store was changed by hand");
        }
        return found.get(0);
    }

    @Override
    public List<RecordSummary> list(String targetKey) throws IOException {
        RecordListing listing = listing(targetKey);
        if (!listing.complete()) {
            throw listing.unreadable().get(0).problem();
        }
        return listing.records();
    }

    /** Reads every record file of the target; one that fails is reported, not allowed to hide the rest. */
    @Override
    public RecordListing listing(String targetKey) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<RecordListing.Unreadable> unreadable = new ArrayList<>();
        for (RecordFile file : recordFiles(targetKey)) {
            try {
                entries.add(new Entry(file.path(), summary(file.path())));
            } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
                unreadable.add(new RecordListing.Unreadable(file.path().toString(), e));
            } catch (IOException e) {
                unreadable.add(new RecordListing.Unreadable(file.path().toString(),
                        StoreErrors.describe("cannot read record " + file.path(), e)));
            }
        }
        entries.sort((a, b) -> RecordSummary.NEWEST_FIRST.compare(a.summary(), b.summary()));
        unreadable.sort(Comparator.comparing(RecordListing.Unreadable::file));
        return new RecordListing(entries.stream().map(Entry::summary).toList(), unreadable);
    }

    /** Every record file under every target directory, in file order; a file that fails is reported, not skipped. */
    @Override
    public List<RecordOnDisk> inventory() throws IOException {
        List<RecordOnDisk> found = new ArrayList<>();
        try {
            if (!existingDirectory(root)) {
                return found;
            }
            try (DirectoryStream<Path> targets = Files.newDirectoryStream(root,
                    p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))) {
                for (Path targetDir : targets) {
                    List<RecordFile> files = new ArrayList<>();
                    listRecordFiles(targetDir, files);
                    for (RecordFile file : files) {
                        found.add(stored(file));
                    }
                }
            }
        } catch (IOException e) {
            throw StoreErrors.describe("cannot list the records in record store " + root, e);
        }
        found.sort(Comparator.comparing(RecordOnDisk::file));
        return found;
    }

    private RecordOnDisk stored(RecordFile file) {
        Path jobDir = file.path().getParent();
        String target = PathEncoding.decode(jobDir.getParent().getFileName().toString()).orElse(null);
        BuildRef build = null;
        try {
            Optional<String> job = PathEncoding.decode(jobDir.getFileName().toString());
            build = target == null || job.isEmpty() ? null : new BuildRef(job.get(), file.number());
        } catch (IllegalArgumentException e) {
            // a directory no job name encodes to: the file is no build's place, which reading it says
        }
        String where = file.path().toString();
        try {
            return new RecordOnDisk(build, target, where, verifiedHash(file.path()), null);
        } catch (CorruptRecordException | UnsupportedRecordFormatException e) {
            return new RecordOnDisk(build, build == null ? null : target, where, null, e);
        } catch (IOException e) {
            return new RecordOnDisk(build, build == null ? null : target, where, null,
                    StoreErrors.describe("cannot read record " + where, e));
        }
    }

    /**
     * Reads only what it needs: files are ordered by the build number in their names, and only the
     * newest ones (plus any of the same number, to order those by start time) are read and verified,
     * so finding a recent record does not wait for a cold index of the whole history.
     */
    @Override
    public Optional<DeploymentRecord> latest(String targetKey, Predicate<DeploymentRecord> matching)
            throws IOException {
        Objects.requireNonNull(matching, "matching");
        try {
            return latestOf(targetKey, matching);
        } catch (IOException e) {
            throw StoreErrors.describe("cannot read the records of target " + targetKey + " in record store " + root, e);
        }
    }

    private Optional<DeploymentRecord> latestOf(String targetKey, Predicate<DeploymentRecord> matching)
            throws IOException {
        List<RecordFile> files = recordFiles(targetKey);
        files.sort(Comparator.comparingInt(RecordFile::number).reversed());
        int i = 0;
        while (i < files.size()) {
            int number = files.get(i).number();
            List<DeploymentRecord> sameNumber = new ArrayList<>();
            for (; i < files.size() && files.get(i).number() == number; i++) {
                sameNumber.add(read(files.get(i).path()));
            }
            sameNumber.sort(Comparator.comparing(DeploymentRecord::startedAt).reversed()
                    .thenComparing(r -> r.ref().job()));
            for (DeploymentRecord record : sameNumber) {
                if (matching.test(record)) {
                    return Optional.of(record);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The record files of a target. A target never recorded has none; a store or target directory
     * that exists but cannot be read is an error saying why, never an empty history.
     */
    private List<RecordFile> recordFiles(String targetKey) throws IOException {
        Path targetDir = root.resolve(PathEncoding.encode("target key", Checks.name("target key", targetKey, 200)));
        List<RecordFile> files = new ArrayList<>();
        try {
            if (!existingDirectory(root) || !existingDirectory(targetDir)) {
                return files;
            }
            listRecordFiles(targetDir, files);
        } catch (IOException e) {
            throw StoreErrors.describe("cannot read the records of target " + targetKey + " in record store " + root, e);
        }
        return files;
    }

    /** Unlike {@link Files#exists}, a file that cannot be looked at is an error, not "absent". */
    private static boolean exists(Path file) throws IOException {
        try {
            Files.readAttributes(file, BasicFileAttributes.class);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** False when absent; an error when it exists but is no directory or cannot be looked at. */
    private static boolean existingDirectory(Path dir) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!attributes.isDirectory()) {
            throw new NotDirectoryException(dir.toString());
        }
        return true;
    }

    private static void listRecordFiles(Path targetDir, List<RecordFile> files) throws IOException {
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(targetDir, Files::isDirectory)) {
            for (Path jobDir : jobs) {
                try (DirectoryStream<Path> records = Files.newDirectoryStream(jobDir)) {
                    for (Path file : records) {
                        String name = file.getFileName().toString();
                        if (RECORD_FILE.matcher(name).matches()) {
                            files.add(new RecordFile(file, Integer.parseInt(name.substring(0, name.length() - 5))));
                        }
                    }
                }
            }
        }
    }

    private RecordSummary summary(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Indexed cached = index.get(file);
        if (cached != null && cached.modified().equals(attributes.lastModifiedTime())
                && cached.size() == attributes.size() && Objects.equals(cached.fileKey(), attributes.fileKey())) {
            return cached.summary();
        }
        RecordSummary summary = RecordSummary.of(read(file));
        index.put(file, new Indexed(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), summary));
        return summary;
    }

    /** Reads, verifies, and checks that the record is filed where its content says it belongs. */
    /** The SHA-256 of the file's bytes, once they read as the record that belongs where the file is. */
    private Digest verifiedHash(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        read(file, bytes);
        return Digest.sha256Of(bytes);
    }

    private DeploymentRecord read(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    private DeploymentRecord read(Path file, byte[] bytes) throws IOException {
        DeploymentRecord record = codec.decode(bytes, file.toString());
        Path jobDir = file.getParent();
        String expectedJob = PathEncoding.encode("build job", record.ref().job());
        String expectedFile = record.ref().number() + ".json";
        if (!jobDir.getFileName().toString().equals(expectedJob) || !file.getFileName().toString().equals(expectedFile)) {
            throw new CorruptRecordException(file.toString(), "build", "says " + record.ref()
                    + " but the file is not where that build's record belongs (" + expectedJob + "/" + expectedFile + ")");
        }
        String expectedTarget = PathEncoding.encode("target key", record.targetKey());
        if (!jobDir.getParent().getFileName().toString().equals(expectedTarget)) {
            throw new CorruptRecordException(file.toString(), "target.key", "says '" + record.targetKey()
                    + "' but the file is filed under another target");
        }
        return record;
    }

    /** Every file holding this build's record; more than one only if someone copied files by hand. */
    private List<Path> locate(BuildRef build) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!existingDirectory(root)) {
            return found;
        }
        String jobName = PathEncoding.encode("build job", build.job());
        try (DirectoryStream<Path> targets = Files.newDirectoryStream(root,
                p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))) {
            for (Path targetDir : targets) {
                Path candidate = targetDir.resolve(jobName).resolve(build.number() + ".json");
                if (exists(candidate)) {
                    found.add(candidate);
                }
            }
        }
        return found;
    }
}
