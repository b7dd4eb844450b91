package dev.rollbackdeploy.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackdeploy.flags.FlagChange;
import dev.rollbackdeploy.flags.FlagJson;
import dev.rollbackdeploy.flags.FlagState;
import dev.rollbackdeploy.schema.AppliedMigration;
import dev.rollbackdeploy.schema.MigrationKind;
import dev.rollbackdeploy.schema.RecoveryConfirmation;
import dev.rollbackdeploy.schema.RecoveryRun;
import dev.rollbackdeploy.schema.SchemaDecision.Cause;
import dev.rollbackdeploy.schema.SchemaDecision.Classified;
import dev.rollbackdeploy.schema.SchemaDecision.Overridden;
import dev.rollbackdeploy.schema.SchemaDecision.Refuse;
import dev.rollbackdeploy.schema.SchemaJson;
import dev.rollbackdeploy.schema.SchemaOverride;
import dev.rollbackdeploy.schema.SchemaRequirement;
import dev.rollbackdeploy.schema.SchemaVersion;
import java.time.Instant;
import java.util.List;

/** Safety facts in the forms the schema and flags packages write them (docs/safety.md). */
final class SafetyFacts {

    private SafetyFacts() {
    }

    static ObjectNode schema() {
        return SchemaJson.requirement(new SchemaRequirement(SchemaVersion.parse("ranWith", "3"),
                SchemaVersion.parse("compatibleFrom", "3"), SchemaVersion.parse("compatibleTo", "4.1"),
                SchemaRequirement.Source.FLYWAY));
    }

    /** An overridden refusal naming one contract migration, the richest form of the check. */
    static ObjectNode schemaCheck() {
        Classified dropName = new Classified(new AppliedMigration(SchemaVersion.parse("version", "8"),
                "contract drop name", "V8__contract_drop_name.sql", true), MigrationKind.CONTRACT);
        Refuse refused = new Refuse(Cause.INCOMPATIBLE, List.of(dropName), "rollback to shop#41 refused: V8 is a contract");
        return SchemaJson.decision(new Overridden(refused, new SchemaOverride("alice", "column name is unused since 40")));
    }

    static ObjectNode recovery() {
        Instant started = Instant.parse("2026-12-04T13:00:00Z");
        return new RecoveryRun("pitr-restore", new RecoveryConfirmation("alice", "restore to before V8 dropped name"),
                0, started, started.plusSeconds(42)).json();
    }

    static ObjectNode flagStates() {
        return FlagJson.states("unleash http://127.0.0.1:4242 project default, environment production",
                List.of(new FlagState("new-checkout", true)));
    }

    static ObjectNode flagChanges() {
        return FlagJson.changes("unleash http://127.0.0.1:4242 project default, environment production",
                List.of(new FlagChange("new-checkout", true, false)));
    }

    static RecordSafety all() {
        return RecordSafety.NONE.withSchema(schema()).withSchemaCheck(schemaCheck()).withRecovery(recovery())
                .withFlags(flagChanges());
    }
}
