package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.gate.GateDecision;
import dev.rollbackdeploy.kubernetes.KubernetesRunState;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.rollout.RolloutState;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment under way, as plain data: what {@link Deployment#advance} needs to continue in a fresh
 * object (after a Jenkins controller restart). On VMs it holds the {@link VmRunState}; on Kubernetes
 * the {@link KubernetesRunState} and the gate's {@link GateLooks} instead (exactly one of the two).
 * {@link #encode()} is one JSON string of a few KB (at most about 7 KB: the run keeps the latest
 * {@link VmRunState#KEPT_EVIDENCE} looks' evidence); keep it
 * in a {@code StepExecution} field and {@link #decode} it on resume. The spec is not in it: the caller
 * rebuilds the same spec from its own fields, and {@link Deployment} refuses a state of another build
 * or target.
 *
 * <pre>{"format":1,"build":"shop#42","target":"shop-vms","startedAt":"…","previous":"shop#41",
 *  "run":{"rollout":{…},"seen":{…},"wakeAt":"…","evidence":[…],"weights":[…],…}}</pre>
 * and on Kubernetes {@code "kubernetes":{"rollout":{…},"pending":[…],…},"looks":{"evidence":[…],…}} instead of {@code run}.
 *
 * @param previous    the newest promoted build before this one (a blue-green switch-back restores it), or null
 * @param alreadyLive why nothing is to be done (the build is recorded and live already), or null
 */
public record DeployState(BuildRef build, String target, Instant startedAt, BuildRef previous, String alreadyLive,
        VmRunState run, KubernetesRunState kubernetes, GateLooks gate) {

    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public DeployState {
        if ((run == null) == (kubernetes == null) || (kubernetes != null) == (gate == null)) {
            throw new IllegalArgumentException("a deploy state holds either a VM run or a Kubernetes run and its gate"
                    + " looks, got run " + run + ", kubernetes " + kubernetes + ", gate " + gate);
        }
    }

    /** On VMs. */
    public DeployState(BuildRef build, String target, Instant startedAt, BuildRef previous, String alreadyLive,
            VmRunState run) {
        this(build, target, startedAt, previous, alreadyLive, run, null, null);
    }

    public Optional<BuildRef> previousBuild() {
        return Optional.ofNullable(previous);
    }

    public boolean isKubernetes() {
        return kubernetes != null;
    }

    /** The engine's state of the rollout, whatever the target. */
    public RolloutState rollout() {
        return run != null ? run.rollout() : kubernetes.rollout();
    }

    /** When the next round is due, or null (now). */
    public Instant wakeAt() {
        return run != null ? run.wakeAt() : kubernetes.wakeAt();
    }

    /** Gate looks taken so far. */
    public int looks() {
        return run != null ? run.looks() : gate.looks();
    }

    /** The last gate answer, or null. */
    public GateDecision.Outcome lastOutcome() {
        return run != null ? run.lastOutcome() : gate.lastOutcome();
    }

    /** The last gate reason, or null. */
    public String lastReason() {
        return run != null ? run.lastReason() : gate.lastReason();
    }

    DeployState withRun(VmRunState next) {
        return new DeployState(build, target, startedAt, previous, alreadyLive, next, null, null);
    }

    DeployState withKubernetes(KubernetesRunState next, GateLooks looks) {
        return new DeployState(build, target, startedAt, previous, alreadyLive, null, next, looks);
    }

    public String encode() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("build", build.toString());
        map.put("target", target);
        map.put("startedAt", startedAt.toString());
        if (previous != null) {
            map.put("previous", previous.toString());
        }
        if (alreadyLive != null) {
            map.put("alreadyLive", alreadyLive);
        }
        if (run != null) {
            map.put("run", run.toMap());
        } else {
            map.put("kubernetes", kubernetes.toMap());
            map.put("looks", gate.toMap());
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("deploy state is not serialisable", e);
        }
    }

    /**
     * @throws IllegalArgumentException the text is not a deploy state of this format (garbled or truncated)
     */
    @SuppressWarnings("unchecked")
    public static DeployState decode(String text) {
        try {
            Map<String, Object> map = JSON.readValue(text, Map.class);
            Object format = map.get("format");
            if (!(format instanceof Number n) || n.intValue() != FORMAT) {
                throw new IllegalArgumentException("deploy state format must be " + FORMAT + ", got " + format);
            }
            Object previous = map.get("previous");
            boolean onKubernetes = map.containsKey("kubernetes");
            return new DeployState(BuildRef.parse((String) map.get("build")), (String) map.get("target"),
                    Instant.parse((String) map.get("startedAt")), previous == null ? null : BuildRef.parse((String) previous),
                    (String) map.get("alreadyLive"),
                    onKubernetes ? null : VmRunState.fromMap((Map<String, Object>) map.get("run")),
                    onKubernetes ? KubernetesRunState.fromMap((Map<String, Object>) map.get("kubernetes")) : null,
                    onKubernetes ? GateLooks.fromMap((Map<String, Object>) map.get("looks")) : null);
        } catch (JsonProcessingException | ClassCastException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a deploy state: " + e.getMessage(), e);
        }
    }
}
