package dev.rollbackdeploy.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Overridden;
import dev.rollbackdeploy.schema.SchemaDecision.Proceed;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision, table-driven: which histories let a rollback to a build proceed. */
class SchemaCompatibilityTest {

    private static final SchemaOverride OVERRIDE = new SchemaOverride("alice", "column only renamed in views");

    static Stream<Arguments> histories() {
        return Stream.of(
                row("same version", req("3"), history("V1__init", "V2__expand_a", "V3__expand_b"), null,
                        Proceed.class, null, ""),
                row("only expands since", req("2"), history("V1__init", "V2__expand_a", "V3__expand_b", "V4__Expand_index"), null,
                        Proceed.class, null, "only expand migrations since"),
                row("a contract since", req("2"), history("V1__init", "V2__x", "V3__expand_b", "V4__contract_drop_name"), null,
                        Refuse.class, Cause.INCOMPATIBLE, "V4 \"contract drop name\""),
                row("an unnamed migration since", req("2"), history("V1__init", "V2__x", "V3__add_column"), null,
                        Refuse.class, Cause.INCOMPATIBLE, "V3 \"add column\" (V3__add_column.sql) unclassified"),
                row("a contract inside the declared range", new SchemaRequirement(v("2"), v("2"), v("4"),
                        SchemaRequirement.Source.DECLARED), history("V1__i", "V2__i", "V3__contract_x", "V4__contract_y",
                        "V5__expand_z"), null, Proceed.class, null, ""),
                row("a contract past the declared range", new SchemaRequirement(v("2"), v("2"), v("3"),
                        SchemaRequirement.Source.DECLARED), history("V1__i", "V2__i", "V3__contract_x", "V4__contract_y"),
                        null, Refuse.class, Cause.INCOMPATIBLE, "V4 \"contract y\""),
                row("a contract, overridden", req("2"), history("V1__i", "V2__i", "V3__contract_x"), OVERRIDE,
                        Overridden.class, Cause.INCOMPATIBLE, "OVERRIDDEN by alice (\"column only renamed in views\")"),
                row("schema older than the build", new SchemaRequirement(v("4"), v("4"), v("4"),
                        SchemaRequirement.Source.FLYWAY), history("V1__i", "V2__i"), null, Refuse.class,
                        Cause.SCHEMA_TOO_OLD, "the live schema is 2, older than 4"),
                row("a failed migration, even overridden", req("2"), failedLast(history("V1__i", "V2__i", "V3__expand_x")),
                        OVERRIDE, Refuse.class, Cause.FAILED_MIGRATION, "V3 \"expand x\" (V3__expand_x.sql) failed"),
                row("no migrations at all", req("1"), history(), null, Refuse.class, Cause.UNAVAILABLE,
                        "records no applied migration"),
                row("no requirement recorded", null, history("V1__i"), null, Refuse.class, Cause.NO_REQUIREMENT,
                        "carries no schema version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void decides(String name, SchemaRequirement requirement, SchemaState live, SchemaOverride override,
            Class<?> expected, Cause cause, String message) {
        MigrationClassifier classifier = MigrationClassifier.byName();

        SchemaDecision decision = SchemaCompatibility.decide("shop#41", requirement, live, classifier,
                Optional.ofNullable(override));

        assertThat(decision).isInstanceOf(expected);
        assertThat(decision.proceeds()).isEqualTo(expected != Refuse.class);
        assertThat(decision.summary()).contains(message);
        if (cause != null) {
            Refuse refuse = decision instanceof Overridden o ? o.refused() : (Refuse) decision;
            assertThat(refuse.cause()).isEqualTo(cause);
        }
    }

    @org.junit.jupiter.api.Test
    void aDeclaredKindWinsOverTheName() {
        MigrationClassifier classifier = new MigrationClassifier(Map.of(v("3"), MigrationKind.EXPAND));

        SchemaDecision decision = SchemaCompatibility.decide("shop#41", req("2"), history("V1__i", "V2__i", "V3__drop_x"),
                classifier, Optional.empty());

        assertThat(decision).isInstanceOf(Proceed.class);
    }

    @org.junit.jupiter.api.Test
    void aRefusalNamesEveryMigrationInBetweenAndTheBlockingOnes() {
        Refuse refuse = (Refuse) SchemaCompatibility.decide("shop#41", req("1"),
                history("V1__i", "V2__expand_a", "V3__contract_b", "V4__expand_c"), MigrationClassifier.byName(),
                Optional.empty());

        assertThat(refuse.between()).extracting(c -> c.migration().version().toString()).containsExactly("2", "3", "4");
        assertThat(refuse.blocking()).extracting(c -> c.migration().version().toString()).containsExactly("3");
        assertThat(SchemaJson.decision(refuse).toString()).contains("\"decision\":\"REFUSED\"", "\"kind\":\"CONTRACT\"");
    }

    private static Arguments row(String name, SchemaRequirement requirement, SchemaState live, SchemaOverride override,
            Class<?> expected, Cause cause, String message) {
        return Arguments.of(name, requirement, live, override, expected, cause, message);
    }

    static SchemaVersion v(String text) {
        return SchemaVersion.parse("v", text);
    }

    static SchemaRequirement req(String ranWith) {
        return SchemaRequirement.ranWith(v(ranWith), SchemaRequirement.Source.FLYWAY);
    }

    /** Flyway-style scripts {@code V<n>__words}; the description is the words, as Flyway derives it. */
    static SchemaState history(String... scripts) {
        List<AppliedMigration> applied = new ArrayList<>();
        for (String script : scripts) {
            String version = script.substring(1, script.indexOf("__"));
            String description = script.substring(script.indexOf("__") + 2).replace('_', ' ');
            applied.add(new AppliedMigration(v(version), description, script + ".sql", true));
        }
        return new SchemaState("flyway_schema_history on test", applied);
    }

    static SchemaState failedLast(SchemaState state) {
        List<AppliedMigration> applied = new ArrayList<>(state.applied());
        AppliedMigration last = applied.remove(applied.size() - 1);
        applied.add(new AppliedMigration(last.version(), last.description(), last.script(), false));
        return new SchemaState(state.source(), applied);
    }
}
