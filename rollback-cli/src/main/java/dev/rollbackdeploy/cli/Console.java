package dev.rollbackdeploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Where the CLI talks to people: progress lines with timestamps on stderr (so stdout stays clean for
 * results and --json), results on stdout.
 */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final boolean json;

    Console(PrintStream out, PrintStream err, Clock clock, boolean json) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A progress line: {@code 12:00:01.250 message}. */
    void progress(String message) {
        err.println(TIME.format(clock.instant()) + " " + message);
    }

    /** A human result: printed unless --json. */
    void result(String text) {
        if (!json) {
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    /** A machine result: printed only with --json, one JSON document. */
    void json(Map<String, ?> document) {
        if (json) {
            try {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("result is not serialisable as JSON", e);
            }
        }
    }

    void error(String message) {
        err.println("error: " + message);
    }
}
