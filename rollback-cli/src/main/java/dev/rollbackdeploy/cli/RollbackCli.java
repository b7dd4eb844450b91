package dev.rollbackdeploy.cli;

import dev.rollbackdeploy.operations.OperationException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollback}: the engine outside Jenkins. Each subcommand only translates input into engine calls. */
@Command(name = "rollback", mixinStandardHelpOptions = true, version = "rollback-deploy 0.1.0",
        description = "Record deployments, compare them with what is live, and put an earlier build back exactly.",
        subcommands = {RecordCommand.class, HistoryCommand.class, DiffCommand.class, RollbackCommand.class,
                DeployCommand.class, GateCommand.class, DrillCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n", footer = "%s")
public final class RollbackCli {

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print results as one JSON document on stdout (progress stays on stderr).")
    boolean json;

    private RollbackCli() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, Clock.systemUTC(), args));
    }

    /** Runs one command line and returns its exit code; used by main and by tests. */
    static int run(PrintStream out, PrintStream err, Clock clock, String... args) {
        RollbackCli root = new RollbackCli();
        CommandLine cli = new CommandLine(root, new Factory(root, out, err, clock));
        cli.getCommandSpec().usageMessage().footer(ExitCode.table());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(e -> e instanceof CliException c ? c.exit.code
                : e instanceof OperationException o ? ExitCode.of(o.kind()).code : ExitCode.INTERNAL.code);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                err.println("error: " + c.getMessage());
                return c.exit.code;
            }
            if (e instanceof OperationException o) {
                // The front door's failures carry their kind: one message, one exit code, no trace.
                err.println("error: " + o.getMessage());
                return ExitCode.of(o.kind()).code;
            }
            err.println("error: unexpected " + e);
            e.printStackTrace(err);
            return ExitCode.INTERNAL.code;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return ExitCode.USAGE.code;
        });
        return cli.execute(args);
    }

    /** Gives every command the console, so output and the clock can be captured in tests. */
    private record Factory(RollbackCli root, PrintStream out, PrintStream err, Clock clock) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == RollbackCli.class) {
                return type.cast(root);
            }
            K created = CommandLine.defaultFactory().create(type);
            if (created instanceof CliCommand command) {
                command.attach(root, out, err, clock);
            }
            return created;
        }
    }
}
