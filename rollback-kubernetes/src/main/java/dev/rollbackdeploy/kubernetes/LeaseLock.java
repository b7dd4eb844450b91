package dev.rollbackdeploy.kubernetes;

import dev.rollbackdeploy.record.BuildRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One mutator per target: a {@code coordination.k8s.io/v1} Lease named after the target, held by the
 * build that deploys or restores it. Every change to the Lease is a create or a replace at the
 * resourceVersion just read, so two builds racing for it cannot both win: the loser gets 409, reads
 * again and sees the winner. A holder that died stops renewing; once {@code renewTime +
 * leaseDurationSeconds} has passed (by the injected clock) anyone may take the lease over.
 *
 * <p>The lease is re-entrant for the same build (a Jenkins controller restart resumes the same build
 * and finds its own lease).
 */
public final class LeaseLock {

    private static final int MAX_CONFLICTS = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String target;
    private final String leaseName;
    private final String holder;
    private final Duration leaseDuration;
    private final Duration pollInterval;
    private final Clock clock;
    private final Retrying retrying;
    private final Retrying.Sleeper sleeper;

    /**
     * @param target        the target's name within the namespace (the lock is per namespace + target)
     * @param leaseDuration how long the lease stays valid without a renewal
     * @param pollInterval  how often a waiting {@link #acquire} looks again
     */
    public LeaseLock(KubernetesClient client, String namespace, String target, BuildRef holder, Duration leaseDuration,
            Duration pollInterval, Clock clock, Retrying retrying, Retrying.Sleeper sleeper) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("lock target must be a non-blank name, got '" + target + "'");
        }
        if (leaseDuration == null || leaseDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("lease duration must be at least 1 s, got " + leaseDuration);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + pollInterval);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.target = target;
        this.leaseName = leaseName(target);
        this.holder = Objects.requireNonNull(holder, "holder").toString();
        this.leaseDuration = leaseDuration;
        this.pollInterval = pollInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retrying = Objects.requireNonNull(retrying, "retrying");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * {@code rollback-deploy-lock-<readable part>-<hash>}: readable in {@code kubectl get leases}, and
     * the hash keeps two targets whose names sanitise alike apart.
     */
    static String leaseName(String target) {
        String readable = target.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        readable = readable.length() > 40 ? readable.substring(0, 40).replaceAll("-+$", "") : readable;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 4);
            return "rollback-deploy-lock-" + (readable.isEmpty() ? "" : readable + "-") + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Takes the lock, waiting up to {@code wait} for another holder to release it or let it expire.
     *
     * @throws TargetLockedException another build still holds it after the wait
     */
    public void acquire(Duration wait) throws TargetLockedException, IOException, InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Optional<TargetLockedException> blocked = tryTake();
            if (blocked.isEmpty()) {
                return;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw blocked.get();
            }
            sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        }
    }

    /**
     * Extends the lease; call it well within the lease duration while working.
     *
     * @throws TargetLockedException the lease expired and another build took it over
     */
    public void renew() throws TargetLockedException, IOException, InterruptedException {
        Optional<TargetLockedException> lost = tryTake();
        if (lost.isPresent()) {
            throw lost.get();
        }
    }

    /** Gives the lock up if this build still holds it; returns whether it did. */
    public boolean release() throws IOException, InterruptedException {
        for (int conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
            Lease lease = read();
            if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                return false;
            }
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setRenewTime(null);
            if (replace(lease)) {
                return true;
            }
        }
        throw new IOException("release of the lock of " + display() + " kept conflicting with other writers");
    }

    private Optional<TargetLockedException> tryTake() throws IOException, InterruptedException {
        for (int conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
            Instant now = clock.instant();
            Lease lease = read();
            if (lease == null) {
                if (create(fresh(now))) {
                    return Optional.empty();
                }
                continue;
            }
            LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
            lease.setSpec(spec);
            String current = spec.getHolderIdentity();
            boolean free = current == null || current.isEmpty() || !expiry(spec).isAfter(now);
            if (!holder.equals(current) && !free) {
                return Optional.of(new TargetLockedException(display(), current, instant(spec.getAcquireTime()),
                        expiry(spec)));
            }
            if (!holder.equals(current)) {
                spec.setAcquireTime(time(now));
                spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
            }
            spec.setHolderIdentity(holder);
            spec.setRenewTime(time(now));
            spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
            if (replace(lease)) {
                return Optional.empty();
            }
        }
        throw new IOException("the lock of " + display() + " kept conflicting with other writers");
    }

    private Lease fresh(Instant now) {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(holder);
        spec.setAcquireTime(time(now));
        spec.setRenewTime(time(now));
        spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
        spec.setLeaseTransitions(0);
        Lease lease = new Lease();
        lease.setMetadata(new ObjectMetaBuilder().withName(leaseName).withNamespace(namespace)
                .addToLabels(Marks.MANAGED_BY_LABEL, Marks.MANAGED_BY_VALUE)
                .addToAnnotations(Marks.ANNOTATION_PREFIX + "lock-target", target).build());
        lease.setSpec(spec);
        return lease;
    }

    private Lease read() throws IOException, InterruptedException {
        return retrying.call("read the lock of " + display(),
                () -> client.leases().inNamespace(namespace).withName(leaseName).get());
    }

    /** False when someone else created it first. */
    private boolean create(Lease lease) throws IOException, InterruptedException {
        return retrying.call("create the lock of " + display(), () -> {
            try {
                client.leases().inNamespace(namespace).resource(lease).create();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** False when the lease changed since it was read (optimistic concurrency on resourceVersion). */
    private boolean replace(Lease lease) throws IOException, InterruptedException {
        String version = lease.getMetadata().getResourceVersion();
        return retrying.call("update the lock of " + display(), () -> {
            try {
                client.leases().inNamespace(namespace).resource(lease).lockResourceVersion(version).update();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 || e.getCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    private Instant expiry(LeaseSpec spec) {
        ZonedDateTime last = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return last == null ? Instant.EPOCH : last.toInstant().plusSeconds(seconds);
    }

    private static Instant instant(ZonedDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }

    private static ZonedDateTime time(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    private String display() {
        return namespace + "/" + target;
    }

    @Override
    public String toString() {
        return "LeaseLock[" + display() + " as " + holder + "]";
    }
}
