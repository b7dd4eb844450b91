package dev.rollbackdeploy.manifest;

/**
 * Hard limits on what {@link ManifestReader} accepts. Manifests come from repositories and
 * pipelines we do not control, so every way YAML can make a small input expensive is bounded here;
 * exceeding a limit is a {@link ManifestException} naming the limit and its value.
 *
 * @param maxInputBytes            total bytes over all sources of one read (default 8 MiB)
 * @param maxDocuments             documents over all sources, empty ones included (default 2000)
 * @param maxAliasesPerDocument    alias expansions per document, counting the aliases inside an
 *                                 aliased node again each time it is expanded, so a "billion laughs"
 *                                 chain is refused after a few levels (default 50). A document's
 *                                 expanded size is therefore at most about (limit + 1) times its text.
 * @param maxNestingDepth          nested mappings and sequences, after alias expansion (default 64,
 *                                 enough for CRD schemas; at most {@value #NESTING_CEILING} because
 *                                 the reader and canonicalizer recurse)
 * @param maxCodePointsPerDocument code points in one YAML document, enforced by snakeyaml's
 *                                 {@code LoaderOptions.codePointLimit} (default 3 MiB, snakeyaml's own)
 */
public record ManifestLimits(long maxInputBytes, int maxDocuments, int maxAliasesPerDocument, int maxNestingDepth,
        int maxCodePointsPerDocument) {

    public static final int NESTING_CEILING = 1000;

    public static final ManifestLimits DEFAULTS = new ManifestLimits(8L * 1024 * 1024, 2000, 50, 64, 3 * 1024 * 1024);

    public ManifestLimits {
        if (maxInputBytes < 1 || maxInputBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxInputBytes must be 1.." + (Integer.MAX_VALUE - 8)
                    + ", got " + maxInputBytes);
        }
        if (maxDocuments < 1) {
            throw new IllegalArgumentException("maxDocuments must be at least 1, got " + maxDocuments);
        }
        if (maxAliasesPerDocument < 0) {
            throw new IllegalArgumentException("maxAliasesPerDocument must be at least 0, got " + maxAliasesPerDocument);
        }
        if (maxNestingDepth < 3 || maxNestingDepth > NESTING_CEILING) {
            throw new IllegalArgumentException("maxNestingDepth must be 3.." + NESTING_CEILING + ", got "
                    + maxNestingDepth);
        }
        if (maxCodePointsPerDocument < 1) {
            throw new IllegalArgumentException("maxCodePointsPerDocument must be at least 1, got "
                    + maxCodePointsPerDocument);
        }
    }

    public ManifestLimits withMaxInputBytes(long value) {
        return new ManifestLimits(value, maxDocuments, maxAliasesPerDocument, maxNestingDepth, maxCodePointsPerDocument);
    }

    public ManifestLimits withMaxDocuments(int value) {
        return new ManifestLimits(maxInputBytes, value, maxAliasesPerDocument, maxNestingDepth, maxCodePointsPerDocument);
    }

    public ManifestLimits withMaxAliasesPerDocument(int value) {
        return new ManifestLimits(maxInputBytes, maxDocuments, value, maxNestingDepth, maxCodePointsPerDocument);
    }

    public ManifestLimits withMaxNestingDepth(int value) {
        return new ManifestLimits(maxInputBytes, maxDocuments, maxAliasesPerDocument, value, maxCodePointsPerDocument);
    }

    public ManifestLimits withMaxCodePointsPerDocument(int value) {
        return new ManifestLimits(maxInputBytes, maxDocuments, maxAliasesPerDocument, maxNestingDepth, value);
    }
}
