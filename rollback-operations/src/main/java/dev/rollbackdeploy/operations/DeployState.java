package dev.rollbackdeploy.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollbackdeploy.record.BuildRef;
import dev.rollbackdeploy.vm.VmRunState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment under way, as plain data: what {@link Deployment#advance} needs to continue in a fresh
 * object (after a Jenkins controller restart). {@link #encode()} is one JSON string of a few KB (at
 * most about 8 KB: the run keeps the latest {@link VmRunState#KEPT_EVIDENCE} looks' evidence); keep it
 * in a {@code StepExecution} field and {@link #decode} it on resume. The spec is not in it: the caller
 * rebuilds the same spec from its own fields, and {@link Deployment} refuses a state of another build
 * or target.
 *
 * <pre>{"format":1,"build":"shop#42","target":"shop-vms","startedAt":"…","previous":"shop#41",
 *  "run":{"rollout":{…},"seen":{…},"wakeAt":"…","evidence":[…],"weights":[…],…}}</pre>
 *
 * @param previous    the newest promoted build before this one (a blue-green switch-back restores it), or null
 * @param alreadyLive why nothing is to be done (the build is recorded and live already), or null
 */
public record DeployState(BuildRef build, String target, Instant startedAt, BuildRef previous, String alreadyLive,
        VmRunState run) {

    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<BuildRef> previousBuild() {
        return Optional.ofNullable(previous);
    }

    DeployState withRun(VmRunState next) {
        return new DeployState(build, target, startedAt, previous, alreadyLive, next);
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
        map.put("run", run.toMap());
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
            return new DeployState(BuildRef.parse((String) map.get("build")), (String) map.get("target"),
                    Instant.parse((String) map.get("startedAt")), previous == null ? null : BuildRef.parse((String) previous),
                    (String) map.get("alreadyLive"), VmRunState.fromMap((Map<String, Object>) map.get("run")));
        } catch (JsonProcessingException | ClassCastException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a deploy state: " + e.getMessage(), e);
        }
    }
}
