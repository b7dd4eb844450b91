package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Kubernetes manifests, multi-document YAML or a stream of JSON objects, from one or more
 * sources into a {@link ManifestSet}. Thread-safe and reusable; every read is bounded by
 * {@link ManifestLimits}.
 * <ul>
 * <li>A source whose first non-blank character is <code>{</code> is read as JSON, as kubectl's
 * YAML-or-JSON decoder does; anything else as YAML (snakeyaml 2 events, Jackson's scalar rules:
 * YAML 1.1 booleans such as {@code yes}/{@code off} are booleans, as in kubectl's go-yaml; quote
 * them to keep strings).</li>
 * <li>Empty documents ({@code ---} with nothing or only comments) are skipped but counted.</li>
 * <li>{@code kind: List} with {@code items} contributes its items, as {@code kubectl apply} does.</li>
 * <li>An object without {@code metadata.namespace} keeps namespace "" in its {@link ObjectKey}: we
 * do not guess "default", because the namespace it lands in is the apply's business (kubectl's
 * {@code -n}), and the same text must hash the same wherever it is applied.</li>
 * <li>Each kind+namespace+name may appear once over all sources of one read.</li>
 * </ul>
 * Every failure is a {@link ManifestException} naming the source, the 1-based document, its line,
 * and the field and value at fault; nothing is returned for a bad input.
 */
public final class ManifestReader {

    /** The source name used for text and bytes given without a file. */
    public static final String INPUT = "<input>";

    private final ManifestLimits limits;
    private final YAMLFactory yaml;
    private final JsonFactory json;

    public ManifestReader() {
        this(ManifestLimits.DEFAULTS);
    }

    public ManifestReader(ManifestLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.limits = limits;
        // Jackson asks snakeyaml only for parse events, so of these options the code-point limit is
        // the one that bites; aliases and depth are counted by TreeBuilder, which expands aliases.
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(limits.maxCodePointsPerDocument());
        options.setMaxAliasesForCollections(Math.max(1, limits.maxAliasesPerDocument()));
        options.setNestingDepthLimit(limits.maxNestingDepth());
        options.setAllowDuplicateKeys(false);
        // One more level than ours, so our message (naming our limit) wins.
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth() + 2).build();
        // The builder, unlike new YAMLFactory(), leaves EMPTY_STRING_AS_NULL off: then "key:" and an
        // empty document would read as "" instead of null.
        this.yaml = new AnchorAwareYamlFactory(YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(constraints).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL));
        this.json = JsonFactory.builder().streamReadConstraints(constraints).build();
    }

    public ManifestLimits limits() {
        return limits;
    }

    public ManifestSet read(String text) {
        return read(INPUT, text.getBytes(StandardCharsets.UTF_8));
    }

    public ManifestSet read(byte[] bytes) {
        return read(INPUT, bytes);
    }

    /** Reads bytes (UTF-8, or UTF-16/32 with a byte-order mark) under a source name for messages. */
    public ManifestSet read(String source, byte[] bytes) {
        ReadSession session = new ReadSession(limits);
        readSource(session, source, bytes);
        return session.result();
    }

    public ManifestSet read(Path file) {
        return read(List.of(file));
    }

    /** Reads several files as one release: limits and the duplicate check span all of them. */
    public ManifestSet read(List<Path> files) {
        ReadSession session = new ReadSession(limits);
        for (Path file : files) {
            readSource(session, file.toString(), readBounded(session, file));
        }
        return session.result();
    }

    private byte[] readBounded(ReadSession session, Path file) {
        long remaining = limits.maxInputBytes() - session.bytesRead();
        try {
            long size = Files.size(file);
            if (size > remaining) {
                throw session.tooLarge(file.toString(), size);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) remaining + 1);
                if (bytes.length > remaining) {
                    throw session.tooLarge(file.toString(), bytes.length);
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e, e);
        }
    }

    private void readSource(ReadSession session, String source, byte[] bytes) {
        session.countBytes(source, bytes.length);
        boolean isJson = startsWithBrace(bytes);
        try (JsonParser parser = isJson ? json.createParser(bytes) : yaml.createParser(bytes)) {
            DocumentStream documents = new DocumentStream(parser, source, isJson, session, limits);
            documents.readAll();
        } catch (IOException e) {
            // Parsers over a byte array fail only by parse errors, which DocumentStream translates.
            throw new ManifestException(source + ": cannot read: " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean startsWithBrace(byte[] bytes) {
        int i = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{';
    }

    /** Walks a parser's root values, one per document, and hands each to the session. */
    private static final class DocumentStream {

        private final JsonParser parser;
        private final String source;
        private final boolean isJson;
        private final ReadSession session;
        private final ManifestLimits limits;
        private int document;

        DocumentStream(JsonParser parser, String source, boolean isJson, ReadSession session, ManifestLimits limits) {
            this.parser = parser;
            this.source = source;
            this.isJson = isJson;
            this.session = session;
            this.limits = limits;
        }

        void readAll() {
            try {
                JsonToken token;
                while ((token = next()) != null) {
                    document++;
                    session.countDocument(source, document);
                    int line = parser.currentTokenLocation().getLineNr();
                    if (token == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    session.accept(source, document, line, TreeBuilder.document(parser, limits, source, document));
                }
            } catch (IOException | YAMLException e) {
                // snakeyaml's own limits (code points) surface unwrapped as YAMLException.
                throw ParseErrors.translate(e, source, document, isJson);
            }
        }

        private JsonToken next() throws IOException {
            try {
                return parser.nextToken();
            } catch (IOException | YAMLException e) {
                // The failure belongs to the document being opened.
                throw ParseErrors.translate(e, source, document + 1, isJson);
            }
        }
    }
}
