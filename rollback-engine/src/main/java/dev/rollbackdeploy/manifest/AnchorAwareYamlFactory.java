package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * A YAML factory whose parsers tell the anchor of every node. Jackson's {@code getObjectId()}
 * reports anchors on mappings and sequences only (an anchored scalar answers null), and we need all
 * of them to expand aliases. Only byte input is used by {@link ManifestReader}.
 */
final class AnchorAwareYamlFactory extends YAMLFactory {

    private static final long serialVersionUID = 1L;

    AnchorAwareYamlFactory(YAMLFactoryBuilder builder) {
        super(builder);
    }

    @Override
    protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext context) throws IOException {
        return new AnchoredParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                _createReader(data, offset, len, null, context));
    }

    /** A YAML parser that exposes the anchor of the event behind the current token. */
    static final class AnchoredParser extends YAMLParser {

        AnchoredParser(IOContext context, int parserFeatures, int formatFeatures, LoaderOptions options,
                ObjectCodec codec, Reader reader) {
            super(context, parserFeatures, formatFeatures, options, codec, reader);
        }

        /** The anchor on the current value token ({@code &name}), or null. */
        String anchor() {
            Event event = _lastEvent;
            return event instanceof NodeEvent node && !isCurrentAlias() ? node.getAnchor() : null;
        }
    }
}
