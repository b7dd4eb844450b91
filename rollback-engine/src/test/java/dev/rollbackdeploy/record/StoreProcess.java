package dev.rollbackdeploy.record;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process for store tests: {@code hold <root>} takes the store lock, prints LOCKED and
 * keeps it until a line arrives on stdin; {@code crash <root> <job> <number>} dies (halt, no
 * cleanup, no shutdown hooks) after the new record is durable in its temp file and before the rename.
 */
public final class StoreProcess {

    private StoreProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> new StoreLock(root.toRealPath()).holding(() -> {
                System.out.println("LOCKED");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return null;
            });
            case "crash" -> new FileRecordStore(root, () -> Runtime.getRuntime().halt(3))
                    .save(Records.record(args[2], Integer.parseInt(args[3])));
            default -> throw new IllegalArgumentException("mode must be hold or crash, got " + args[0]);
        }
    }

    static ProcessBuilder command(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 4];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = StoreProcess.class.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }
}
