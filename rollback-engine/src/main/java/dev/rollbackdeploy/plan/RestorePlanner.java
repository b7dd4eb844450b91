package dev.rollbackdeploy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.manifest.CanonicalObject;
import dev.rollbackdeploy.manifest.ManifestSet;
import dev.rollbackdeploy.manifest.ObjectKey;
import dev.rollbackdeploy.traffic.Weight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans putting a recorded release back: a pure function of (target, live, options). The plan is
 * empty when live already matches the target, which is what makes restores idempotent: a second
 * restore of the same build makes no writes.
 *
 * <p>Order: traffic off any canary first (a restore must not shift load onto objects it is about to
 * change), then objects by {@link ApplyOrder} with a readiness wait after each workload, then
 * deletions (only when pruning), in reverse order.
 */
public final class RestorePlanner {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** group/kind of the workloads whose readiness a restore waits for; a custom kind of the same name is not one. */
    private static final Set<String> WORKLOADS = Set.of("apps/Deployment", "apps/StatefulSet", "apps/DaemonSet",
            "apps/ReplicaSet", "argoproj.io/Rollout");

    public Plan plan(ManifestSet target, LiveState live, RestoreOptions options) {
        List<ObjectChange> changes = new ArrayList<>();
        List<Action> traffic = new ArrayList<>();
        List<Action> writes = new ArrayList<>();
        List<Action> deletes = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Optional<Weight> liveCanary = live.canaryWeight();
        if (liveCanary.isPresent() && liveCanary.get().percent() != 0) {
            traffic.add(new Action.SetTrafficWeight(Weight.NONE));
        }
        for (CanonicalObject wanted : sorted(target.objects())) {
            Optional<CanonicalObject> running = live.objects().get(wanted.key());
            if (running.isEmpty()) {
                changes.add(new ObjectChange.Added(wanted.key()));
                writes.add(new Action.Apply(wanted));
                waitIfWorkload(wanted.key(), writes);
            } else if (!running.get().hash().equals(wanted.hash())) {
                planChange(running.get(), wanted, options, changes, writes, deletes, refusals);
            }
        }
        List<ObjectKey> extra = live.objects().keys().stream().filter(k -> target.get(k).isEmpty()).sorted().toList();
        for (ObjectKey key : extra) {
            changes.add(new ObjectChange.Removed(key));
            if (options.prune()) {
                deletes.add(new Action.Delete(key, "not in the target release; prune requested"));
            }
        }
        if (!extra.isEmpty() && !options.prune()) {
            notes.add(extra.size() + " live object(s) not in the target are kept: " + extra
                    + "; restore with prune to delete them");
        }
        deletes.sort(Comparator.comparing((Action a) -> ApplyOrder.rank(((Action.Delete) a).object().kind())).reversed());
        List<Action> actions = new ArrayList<>(traffic);
        actions.addAll(writes);
        actions.addAll(deletes);
        return new Plan(actions, new ReleaseDiff(changes), refusals, notes);
    }

    private static void planChange(CanonicalObject running, CanonicalObject wanted, RestoreOptions options,
            List<ObjectChange> changes, List<Action> writes, List<Action> deletes, List<String> refusals) {
        ObjectKey key = wanted.key();
        JsonNode before = parse(running);
        JsonNode after = parse(wanted);
        List<FieldChange> fields = JsonDiff.between(before, after, key.kind().equals("Secret"));
        changes.add(new ObjectChange.Changed(key, fields));
        boolean liveImmutable = before.path("immutable").asBoolean(false);
        List<FieldChange> immutable = ImmutableFields.violations(key.kind(), liveImmutable, fields);
        if (!immutable.isEmpty()) {
            String paths = immutable.stream().map(FieldChange::path).distinct().toList().toString();
            if (!options.allowRecreate()) {
                refusals.add("recreate needed: " + key + " differs in immutable field(s) " + paths
                        + "; restore with allow-recreate to delete and re-create it");
                return;
            }
            writes.add(new Action.Delete(key, "immutable field(s) " + paths + " differ; re-created next"));
            writes.add(new Action.Apply(wanted));
            waitIfWorkload(key, writes);
            return;
        }
        if (isWorkload(key) && fields.size() == 1 && fields.get(0).path().equals("spec.replicas")
                && after.path("spec").path("replicas").canConvertToInt()) {
            writes.add(new Action.Scale(key, after.path("spec").path("replicas").intValue()));
        } else {
            writes.add(new Action.Apply(wanted));
        }
        waitIfWorkload(key, writes);
    }

    private static void waitIfWorkload(ObjectKey key, List<Action> writes) {
        if (isWorkload(key)) {
            writes.add(new Action.WaitReady(key));
        }
    }

    private static boolean isWorkload(ObjectKey key) {
        return WORKLOADS.contains(key.group() + "/" + key.kind());
    }

    private static List<CanonicalObject> sorted(List<CanonicalObject> objects) {
        List<CanonicalObject> out = new ArrayList<>(objects);
        out.sort(Comparator.comparingInt((CanonicalObject o) -> ApplyOrder.rank(o.key().kind()))
                .thenComparing(CanonicalObject::key));
        return out;
    }

    private static JsonNode parse(CanonicalObject object) {
        try {
            return JSON.readTree(object.canonicalJson());
        } catch (JsonProcessingException e) {
            // Canonical JSON was produced and hash-checked by us; unreadable means a bug, not bad input.
            throw new IllegalStateException("canonical JSON of " + object.key() + " does not parse", e);
        }
    }
}
