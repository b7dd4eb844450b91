package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.OperationContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Callable;

/** Base of every subcommand: the console, and the translation of outcomes into exit codes. */
abstract class CliCommand implements Callable<Integer> {

    private RollbackCli root;
    private PrintStream out;
    private PrintStream err;
    private Clock clock;
    private Console console;

    final void attach(RollbackCli root, PrintStream out, PrintStream err, Clock clock) {
        this.root = root;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    final Console console() {
        if (console == null) {
            console = new Console(out, err, clock, root.json);
        }
        return console;
    }

    final Clock clock() {
        return clock;
    }

    /** The front door's context for a run on {@code store}: locks next to it, progress on the console. */
    final OperationContext context(Path store, Duration lockWait) {
        return OperationContext.nextToStore(store, lockWait, System.getProperty("user.name", "cli"), clock,
                console()::progress);
    }

    @Override
    public final Integer call() throws Exception {
        return execute().code;
    }

    /** Does the work; throws {@link CliException} for failures a person can act on. */
    abstract ExitCode execute() throws Exception;
}
