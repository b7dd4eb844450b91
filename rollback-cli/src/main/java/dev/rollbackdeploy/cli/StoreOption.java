package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.record.FileRecordStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The local record store every command reads or writes. */
final class StoreOption {

    @Option(names = "--store", paramLabel = "DIR", defaultValue = ".rollback/records",
            description = "Directory of deployment records (default: ${DEFAULT-VALUE}).")
    Path dir;

    FileRecordStore open() {
        return new FileRecordStore(dir);
    }
}
