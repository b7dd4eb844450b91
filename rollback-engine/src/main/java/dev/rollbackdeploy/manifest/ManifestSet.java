package dev.rollbackdeploy.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical objects of one release, keyed and sorted by {@link ObjectKey}, with the template-set
 * hash: SHA-256 over the sorted {@code kind, namespace, name, hash} lines. The set hash depends on
 * neither the order of documents in the source nor on anything the canonical form strips. The API
 * group is not on the line: each object's hash covers its apiVersion, so the group is hashed already,
 * and leaving the line as it was keeps the set hashes of releases recorded before the group was part
 * of an object's identity.
 */
public final class ManifestSet {

    private final Map<ObjectKey, CanonicalObject> objects;
    private final TemplateHash setHash;

    private ManifestSet(Map<ObjectKey, CanonicalObject> objects) {
        this.objects = Collections.unmodifiableMap(objects);
        this.setHash = hashOf(objects);
    }

    /**
     * @throws IllegalArgumentException two objects share a group, kind, namespace and name
     */
    public static ManifestSet of(List<CanonicalObject> objects) {
        Map<ObjectKey, CanonicalObject> byKey = new TreeMap<>();
        for (CanonicalObject object : objects) {
            if (byKey.putIfAbsent(object.key(), object) != null) {
                throw new IllegalArgumentException("duplicate object " + object.key()
                        + ": each group+kind+namespace+name may appear once in a release");
            }
        }
        return new ManifestSet(byKey);
    }

    public static ManifestSet empty() {
        return new ManifestSet(new TreeMap<>());
    }

    private static TemplateHash hashOf(Map<ObjectKey, CanonicalObject> objects) {
        StringBuilder lines = new StringBuilder();
        for (CanonicalObject object : objects.values()) {
            ObjectKey key = object.key();
            lines.append(key.kind()).append('\t').append(key.namespace()).append('\t').append(escaped(key.name()))
                    .append('\t').append(object.hash()).append('\n');
        }
        return TemplateHash.of(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RBAC names may hold tabs, newlines and backslashes (any path segment is valid), which would make
     * the lines ambiguous; DNS names, the only names recorded before, hold none and hash as before.
     */
    private static String escaped(String name) {
        return name.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    /** The objects in key order. */
    public List<CanonicalObject> objects() {
        return List.copyOf(objects.values());
    }

    public Optional<CanonicalObject> get(ObjectKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public java.util.Set<ObjectKey> keys() {
        return objects.keySet();
    }

    public int size() {
        return objects.size();
    }

    public TemplateHash setHash() {
        return setHash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ManifestSet that && setHash.equals(that.setHash);
    }

    @Override
    public int hashCode() {
        return setHash.hashCode();
    }

    @Override
    public String toString() {
        return "ManifestSet[" + objects.size() + " objects, " + setHash + "]";
    }
}
