package dev.rollbackdeploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an object's tree into its canonical bytes, the input of its {@link TemplateHash}:
 * <ul>
 * <li>UTF-8 JSON without insignificant whitespace;</li>
 * <li>object keys sorted by UTF-16 code units ({@link String#compareTo}), which equals code-point
 * order for the ASCII keys Kubernetes uses;</li>
 * <li>numbers by value: integers as plain digits; decimals through
 * {@link BigDecimal#stripTrailingZeros()}, so {@code 1}, {@code 1.0} and {@code 1.00} all write
 * {@code 1} and {@code 2.50} writes {@code 2.5}; plain notation unless the exponent is beyond
 * &plusmn;{@value #PLAIN_EXPONENT_LIMIT}, then {@code <digits>E<exponent>} of the stripped value
 * (still one spelling per value, and no 10^9-digit strings from a hostile {@code 1e999999999});</li>
 * <li>strings escaped minimally: {@code &#92;"}, {@code &#92;&#92;}, {@code &#92;b &#92;f &#92;n &#92;r &#92;t}, other control
 * characters and unpaired surrogates as lowercase {@code &#92;u00xx}; everything else raw UTF-8;</li>
 * <li>server-owned fields dropped: {@code status}, and {@code metadata.}{@value #SERVER_METADATA_DOC};
 * annotations under {@value #OWN_ANNOTATION_PREFIX} (the build-ref and template-hash annotations
 * we add at apply time must not feed the hash they carry) and
 * {@value #LAST_APPLIED}; an annotations map left empty (or null) is dropped.</li>
 * </ul>
 * The input tree is never modified.
 */
public final class Canonicalizer {

    public static final String OWN_ANNOTATION_PREFIX = "rollback-deploy.io/";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final String SERVER_METADATA_DOC =
            "resourceVersion, uid, creationTimestamp, generation, managedFields, selfLink";
    static final int PLAIN_EXPONENT_LIMIT = 100;

    private static final Set<String> SERVER_METADATA = Set.of("resourceVersion", "uid", "creationTimestamp",
            "generation", "managedFields", "selfLink");
    private static final Comparator<Map.Entry<String, JsonNode>> BY_KEY = Map.Entry.comparingByKey();
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Canonicalizer() {
    }

    /**
     * The canonical bytes of a Kubernetes object (a JSON object at the root).
     *
     * @throws IllegalArgumentException the root is not an object, or a number is not finite
     */
    public static byte[] canonicalBytes(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("a Kubernetes object must be a mapping, got "
                    + (object == null ? "null" : object.getNodeType()));
        }
        ByteSink out = new ByteSink(1024);
        writeObject(object, out, Level.ROOT);
        return out.toByteArray();
    }

    /** The canonical bytes of any JSON value, with nothing stripped. */
    public static byte[] canonicalValueBytes(JsonNode value) {
        ByteSink out = new ByteSink(256);
        write(value, out);
        return out.toByteArray();
    }

    private enum Level { ROOT, METADATA, ANNOTATIONS, OTHER }

    private static void write(JsonNode node, ByteSink out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, Level.OTHER);
            case ARRAY -> writeArray(node, out);
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
            case NULL -> out.ascii("null");
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType()
                    + " value into canonical JSON");
        }
    }

    private static void writeArray(JsonNode array, ByteSink out) {
        out.write('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            write(array.get(i), out);
        }
        out.write(']');
    }

    private static void writeObject(JsonNode object, ByteSink out, Level level) {
        List<Map.Entry<String, JsonNode>> fields = sortedFields(object);
        out.write('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (dropped(level, key, value)) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            writeString(key, out);
            out.write(':');
            switch (level) {
                case ROOT -> {
                    if (key.equals("metadata") && value.isObject()) {
                        writeObject(value, out, Level.METADATA);
                    } else {
                        write(value, out);
                    }
                }
                case METADATA -> {
                    if (key.equals("annotations")) {
                        writeObject(value, out, Level.ANNOTATIONS);
                    } else {
                        write(value, out);
                    }
                }
                case ANNOTATIONS, OTHER -> write(value, out);
                default -> throw new AssertionError(level);
            }
        }
        out.write('}');
    }

    private static boolean dropped(Level level, String key, JsonNode value) {
        return switch (level) {
            case ROOT -> key.equals("status");
            case METADATA -> SERVER_METADATA.contains(key)
                    || key.equals("annotations") && (!value.isObject() ? value.isNull() : keptAnnotations(value) == 0);
            case ANNOTATIONS -> ownedAnnotation(key);
            case OTHER -> false;
        };
    }

    private static int keptAnnotations(JsonNode annotations) {
        int kept = 0;
        for (Iterator<String> names = annotations.fieldNames(); names.hasNext(); ) {
            if (!ownedAnnotation(names.next())) {
                kept++;
            }
        }
        return kept;
    }

    private static boolean ownedAnnotation(String key) {
        return key.startsWith(OWN_ANNOTATION_PREFIX) || key.equals(LAST_APPLIED);
    }

    private static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
        if (fields.size() > 1) {
            fields.sort(BY_KEY);
        }
        return fields;
    }

    private static void writeNumber(JsonNode node, ByteSink out) {
        if (node.isInt() || node.isLong() || node.isShort()) {
            out.ascii(Long.toString(node.longValue()));
        } else if (node.isBigInteger()) {
            writeDecimal(new BigDecimal(node.bigIntegerValue()), out);
        } else if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("number " + value + " is not finite; canonical JSON needs finite numbers");
            }
            writeDecimal(BigDecimal.valueOf(value), out);
        } else {
            writeDecimal(node.decimalValue(), out);
        }
    }

    static String canonicalNumber(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (Math.abs(exponent) > PLAIN_EXPONENT_LIMIT) {
            return stripped.unscaledValue() + "E" + (-stripped.scale());
        }
        return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
    }

    private static void writeDecimal(BigDecimal value, ByteSink out) {
        out.ascii(canonicalNumber(value));
    }

    private static void writeString(String text, ByteSink out) {
        out.write('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out.write(c);
                } else {
                    escape(c, out);
                }
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, text.charAt(++i));
                    out.write(0xF0 | (codePoint >> 18));
                    out.write(0x80 | ((codePoint >> 12) & 0x3F));
                    out.write(0x80 | ((codePoint >> 6) & 0x3F));
                    out.write(0x80 | (codePoint & 0x3F));
                } else {
                    // An unpaired surrogate has no UTF-8 form; String.getBytes would write '?',
                    // making two different strings hash alike.
                    unicodeEscape(c, out);
                }
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        out.write('"');
    }

    private static void escape(char c, ByteSink out) {
        switch (c) {
            case '"' -> out.ascii("\\\"");
            case '\\' -> out.ascii("\\\\");
            case '\b' -> out.ascii("\\b");
            case '\f' -> out.ascii("\\f");
            case '\n' -> out.ascii("\\n");
            case '\r' -> out.ascii("\\r");
            case '\t' -> out.ascii("\\t");
            default -> unicodeEscape(c, out);
        }
    }

    private static void unicodeEscape(char c, ByteSink out) {
        out.ascii("\\u");
        out.write(HEX[(c >> 12) & 0xF]);
        out.write(HEX[(c >> 8) & 0xF]);
        out.write(HEX[(c >> 4) & 0xF]);
        out.write(HEX[c & 0xF]);
    }
}
