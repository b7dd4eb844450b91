package dev.rollbackdeploy.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void escapesEveryPieceOfText() {
        String hostile = "<script>alert('x')</script> & \"q\"";

        String html = new HtmlReport(hostile).event(Instant.EPOCH, hostile).table(hostile, Map.of(hostile, hostile))
                .text(hostile, hostile).render();

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    }

    @Test
    void embedsTheChartAsMarkupAndRefusesAnythingElse() {
        String html = new HtmlReport("drill").chart("Error rate", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"c\"/></svg>")
                .render();

        assertThat(html).contains("<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"c\"/></svg></figure>");
        assertThatThrownBy(() -> new HtmlReport("x").chart("c", "<script>")).hasMessageContaining("'<script>'");
    }

    @Test
    void writesAtomicallyLeavingNoTempFiles(@TempDir Path dir) throws Exception {
        Path file = new HtmlReport("drill").event(Instant.EPOCH, "started").writeTo(dir.resolve("report.html"));

        assertThat(Files.readString(file)).contains("<td>started</td>");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
