package dev.rollbackdeploy.operations;

import dev.rollbackdeploy.flags.FlagStore;
import dev.rollbackdeploy.flags.KillSwitchSpec;
import dev.rollbackdeploy.flags.adapters.FlagdFileFlagStore;
import dev.rollbackdeploy.flags.adapters.UnleashFlagStore;
import dev.rollbackdeploy.flags.adapters.WebhookFlagStore;
import dev.rollbackdeploy.schema.RecoveryCommand;
import dev.rollbackdeploy.schema.SchemaRequirement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deploy's safety settings as given — a spec file's {@code schema}, {@code datasource} and
 * {@code flags} sections ({@link SafetySpecFile}) or a Jenkins step's fields — validated all at once
 * into a {@link DeploySafety}. Secrets (the database password, the flag store's token) are handed in
 * by the shell from where it keeps them (an environment variable, a Jenkins credential), never from the spec.
 */
public final class SafetyFields {

    private Object schemaVersion;
    private Object compatibleFrom;
    private Object compatibleTo;
    private Object datasourceUrl;
    private Object datasourceUser;
    private String datasourcePassword;
    private Object datasourceTool;
    private Object datasourceTable;
    private Object flagsProvider;
    private Object flagsUrl;
    private Object flagsFile;
    private String flagsToken;
    private Object flagsProject;
    private Object flagsEnvironment;
    private Object flagsTurnOff;
    private Object recoveryCommand;
    private Object recoveryTimeout;
    private Object flagsMode;

    /** The schema version the build runs with, declared (e.g. {@code 3} or {@code 2.1.0}), and its range. */
    public SafetyFields schema(Object version, Object from, Object to) {
        schemaVersion = version;
        compatibleFrom = from;
        compatibleTo = to;
        return this;
    }

    /** The database whose history table gives the version when none is declared; {@code tool} flyway or liquibase. */
    public SafetyFields datasource(Object url, Object user, String password, Object tool, Object table) {
        datasourceUrl = url;
        datasourceUser = user;
        datasourcePassword = password;
        datasourceTool = tool;
        datasourceTable = table;
        return this;
    }

    /** The kill switch: {@code unleash} (url, token, project, environment) or {@code webhook} (url, token); the flags. */
    public SafetyFields flags(Object provider, Object url, String token, Object project, Object environment, Object turnOff) {
        flagsProvider = provider;
        flagsUrl = url;
        flagsToken = token;
        flagsProject = project;
        flagsEnvironment = environment;
        flagsTurnOff = turnOff;
        return this;
    }

    /** The point-in-time-recovery command (a list: program and arguments, no shell) and how long it may run (ISO-8601). */
    public SafetyFields recovery(Object command, Object timeout) {
        recoveryCommand = command;
        recoveryTimeout = timeout;
        return this;
    }

    /** The flagd flag-definitions file, for {@code provider: flagd} (the spec resolves it against its own directory). */
    public SafetyFields flagsFile(Object file) {
        flagsFile = file;
        return this;
    }

    /**
     * The kill switch's mode: {@code before-traffic} (the default: flags off, then traffic back to stable)
     * or {@code instead-of-traffic} (flags off, traffic stays; moved back only when the flags cannot be).
     */
    public SafetyFields flagsMode(Object mode) {
        flagsMode = mode;
        return this;
    }

    /** @throws InvalidSpecException every problem, each naming the field and the value */
    public DeploySafety toSafety(String source) throws InvalidSpecException {
        List<SpecProblem> problems = new ArrayList<>();
        Optional<SchemaRequirement> declared = Optional.empty();
        if (schemaVersion != null || compatibleFrom != null || compatibleTo != null) {
            try {
                declared = Optional.of(SchemaRequirement.declared(text(schemaVersion), text(compatibleFrom), text(compatibleTo)));
            } catch (IllegalArgumentException e) {
                problems.add(new SpecProblem("schema", null, "is not valid: " + e.getMessage()));
            }
        }
        Optional<Datasource> datasource = Optional.empty();
        if (datasourceUrl != null) {
            try {
                datasource = Optional.of(Datasource.of("datasource", text(datasourceUrl), text(datasourceUser),
                        datasourcePassword, text(datasourceTool), text(datasourceTable)));
            } catch (OperationException e) {
                problems.add(new SpecProblem("datasource", null, "is not valid: " + e.getMessage()));
            }
        }
        Optional<FlagSwitch> flags = flagsProvider == null && flagsTurnOff == null && flagsMode == null
                ? Optional.empty() : flags(problems);
        Optional<RecoveryCommand> recovery = recoveryCommand == null && recoveryTimeout == null ? Optional.empty()
                : SafetyRecovery.command(recoveryCommand, recoveryTimeout, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(source, problems);
        }
        return DeploySafety.of(declared, datasource, flags).withRecovery(recovery);
    }

    private Optional<FlagSwitch> flags(List<SpecProblem> problems) {
        KillSwitchSpec.Mode mode = mode(problems);
        KillSwitchSpec spec;
        try {
            List<String> names = flagsTurnOff instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                    : flagsTurnOff == null ? List.of() : List.of(String.valueOf(flagsTurnOff));
            spec = new KillSwitchSpec(names, mode == null ? KillSwitchSpec.Mode.BEFORE_TRAFFIC : mode);
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem("flags.turnOff", String.valueOf(flagsTurnOff), "must list the flags to turn off "
                    + "on abort, e.g. [new-checkout]: " + e.getMessage()));
            return Optional.empty();
        }
        String provider = text(flagsProvider);
        if ("flagd".equals(provider) && flagsFile == null) {
            problems.add(new SpecProblem("flags.file", null, "must name the flagd flag-definitions file for "
                    + "provider flagd, e.g. file: flags/production.flagd.json"));
            return Optional.empty();
        }
        Duration timeout = Duration.ofSeconds(5);
        try {
            FlagStore store = switch (provider == null ? "" : provider) {
                case "unleash" -> new UnleashFlagStore(text(flagsUrl), flagsToken, text(flagsProject) == null ? "default"
                        : text(flagsProject), text(flagsEnvironment), timeout);
                case "webhook" -> new WebhookFlagStore(text(flagsUrl), flagsToken, timeout);
                case "flagd" -> new FlagdFileFlagStore(Path.of(text(flagsFile)));
                default -> null;
            };
            if (store == null) {
                problems.add(new SpecProblem("flags.provider", provider, "must be unleash, webhook or flagd"));
                return Optional.empty();
            }
            return mode == null && flagsMode != null ? Optional.empty() : Optional.of(FlagSwitch.of(store, spec));
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem("flags", null, "is not valid: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** The mode as written, null when absent (the default) or wrong (a problem is added). */
    private KillSwitchSpec.Mode mode(List<SpecProblem> problems) {
        String mode = text(flagsMode);
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "before-traffic" -> KillSwitchSpec.Mode.BEFORE_TRAFFIC;
            case "instead-of-traffic" -> KillSwitchSpec.Mode.INSTEAD_OF_TRAFFIC;
            default -> {
                problems.add(new SpecProblem("flags.mode", mode, "must be before-traffic (flags off, then traffic back"
                        + " to stable; the default) or instead-of-traffic (flags off, traffic stays where it is)"));
                yield null;
            }
        };
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
