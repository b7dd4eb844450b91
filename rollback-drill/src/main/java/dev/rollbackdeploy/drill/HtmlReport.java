package dev.rollbackdeploy.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The drill's self-contained HTML report: a timeline, the gate's SVG chart, the evidence, the figures
 * and the records. Every piece of text is escaped; the chart is the only markup taken as is, and it
 * comes from the engine's chart renderer, never from user input.
 */
public final class HtmlReport {

    private final String title;
    private final List<String[]> timeline = new ArrayList<>();
    private final List<String> sections = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport event(Instant at, String what) {
        timeline.add(new String[] {at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(), what});
        return this;
    }

    /** A chart rendered by the engine (trusted SVG markup). */
    public HtmlReport chart(String heading, String svg) {
        if (!svg.startsWith("<svg")) {
            throw new IllegalArgumentException("chart must be an <svg> document, got '"
                    + svg.substring(0, Math.min(20, svg.length())) + "'");
        }
        sections.add("<h2>" + escape(heading) + "</h2>\n<figure class=\"chart\">" + svg + "</figure>");
        return this;
    }

    /** Name/value rows, e.g. the drill's figures. */
    public HtmlReport table(String heading, Map<String, String> rows) {
        StringBuilder html = new StringBuilder("<h2>").append(escape(heading)).append("</h2>\n<table>\n");
        rows.forEach((name, value) -> html.append("<tr><th>").append(escape(name)).append("</th><td>")
                .append(escape(value)).append("</td></tr>\n"));
        sections.add(html.append("</table>").toString());
        return this;
    }

    /** Preformatted text, e.g. a plan, a diff or a record's JSON. */
    public HtmlReport text(String heading, String body) {
        sections.add("<h2>" + escape(heading) + "</h2>\n<pre>" + escape(body) + "</pre>");
        return this;
    }

    public String render() {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <title>""").append(escape(title)).append("""
                </title>
                <style>
                body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:72em;color:#222}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
                pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:30em}.chart svg{max-width:100%;height:auto}
                </style></head><body>
                """);
        html.append("<h1>").append(escape(title)).append("</h1>\n<h2>Timeline</h2>\n<table id=\"timeline\">\n");
        for (String[] event : timeline) {
            html.append("<tr><td>").append(escape(event[0])).append("</td><td>").append(escape(event[1])).append("</td></tr>\n");
        }
        html.append("</table>\n");
        sections.forEach(section -> html.append(section).append('\n'));
        return html.append("</body></html>\n").toString();
    }

    /** Writes the report atomically, so a reader never sees half a report. */
    public Path writeTo(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".report-", ".tmp");
        try {
            Files.writeString(temp, render(), StandardCharsets.UTF_8);
            // Temp files are private; a report is for everyone who can read the directory.
            temp.toFile().setReadable(true, false);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
