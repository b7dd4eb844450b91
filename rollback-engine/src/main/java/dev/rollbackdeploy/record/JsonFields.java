package dev.rollbackdeploy.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One JSON object of a record being read, with its path, so that every complaint names the file and
 * the field ({@code workloads[2].digest}) and says what is wrong.
 */
final class JsonFields {

    @FunctionalInterface
    interface Parser<T> {
        T parse(String text);
    }

    private final String source;
    private final String path;
    private final JsonNode node;

    JsonFields(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    JsonNode node() {
        return node;
    }

    String path(String name) {
        if (name.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    String sourceForMessages() {
        return source;
    }

    /** Refuses fields this format does not define: an addition is as much a change as an edit. */
    JsonFields only(Set<String> names) throws CorruptRecordException {
        return only(names, DeploymentRecord.CURRENT_FORMAT);
    }

    /** As {@link #only(Set)}, naming the format the record says it is. */
    JsonFields only(Set<String> names, int format) throws CorruptRecordException {
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            if (!names.contains(name)) {
                throw corrupt(name, "is not part of record format " + format);
            }
        }
        return this;
    }

    JsonNode require(String name) throws CorruptRecordException {
        JsonNode value = node.get(name);
        if (value == null) {
            throw corrupt(name, "is missing");
        }
        return value;
    }

    String text(String name) throws CorruptRecordException {
        JsonNode value = require(name);
        if (!value.isTextual()) {
            throw corrupt(name, "must be a string, got " + value.getNodeType() + " " + value);
        }
        return value.textValue();
    }

    String optionalText(String name) throws CorruptRecordException {
        return node.has(name) ? text(name) : null;
    }

    int integer(String name) throws CorruptRecordException {
        JsonNode value = require(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw corrupt(name, "must be a whole number, got " + value);
        }
        return value.intValue();
    }

    <T> T parsed(String name, Parser<T> parser) throws CorruptRecordException {
        String text = text(name);
        try {
            return parser.parse(text);
        } catch (RuntimeException e) {
            throw corrupt(name, "has a bad value '" + text + "': " + e.getMessage(), e);
        }
    }

    JsonFields object(String name) throws CorruptRecordException {
        JsonNode value = require(name);
        if (!value.isObject()) {
            throw corrupt(name, "must be an object, got " + value.getNodeType());
        }
        return new JsonFields(source, path(name), value);
    }

    List<JsonFields> objects(String name) throws CorruptRecordException {
        JsonNode value = array(name);
        List<JsonFields> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String itemPath = path(name) + "[" + i + "]";
            if (!value.get(i).isObject()) {
                throw new CorruptRecordException(source, itemPath, "must be an object, got " + value.get(i).getNodeType());
            }
            items.add(new JsonFields(source, itemPath, value.get(i)));
        }
        return items;
    }

    List<String> texts(String name) throws CorruptRecordException {
        JsonNode value = array(name);
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new CorruptRecordException(source, path(name) + "[" + i + "]", "must be a string, got "
                        + value.get(i));
            }
            items.add(value.get(i).textValue());
        }
        return items;
    }

    private JsonNode array(String name) throws CorruptRecordException {
        JsonNode value = require(name);
        if (!value.isArray()) {
            throw corrupt(name, "must be an array, got " + value.getNodeType());
        }
        return value;
    }

    CorruptRecordException corrupt(String name, String problem) {
        return new CorruptRecordException(source, path(name), problem);
    }

    CorruptRecordException corrupt(String name, String problem, Throwable cause) {
        return new CorruptRecordException(source, path(name), problem, cause);
    }
}
