package dev.rollbackdeploy.gate;

import static dev.rollbackdeploy.gate.GateFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GateChartTest {

    private static final String HOSTILE = "errors\"><script>alert(1)</script>&<!-- \u0001";

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element byId(Document doc, String tag, String id) {
        NodeList nodes = doc.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        throw new AssertionError("no <" + tag + " id=\"" + id + "\">");
    }

    /** Points drawn in a series path: one coordinate pair after each M or L. */
    private static long drawn(Document doc, String id) {
        return byId(doc, "path", id).getAttribute("d").chars().filter(c -> c == 'M' || c == 'L').count();
    }

    /** Unbroken pieces of a series path: one per M. */
    private static long pieces(Document doc, String id) {
        return byId(doc, "path", id).getAttribute("d").chars().filter(c -> c == 'M').count();
    }

    private static String chart(String title) {
        List<GateChart.RatePoint> points = List.of(
                new GateChart.RatePoint(T0.plusSeconds(10), 0.001, 0.001),
                new GateChart.RatePoint(T0.plusSeconds(20), 0.004, 0.001),
                new GateChart.RatePoint(T0.plusSeconds(30), 0.012, 0.0012));
        List<GateChart.WeightStep> steps = List.of(new GateChart.WeightStep(T0, 10), new GateChart.WeightStep(T0.plusSeconds(20), 25));
        return GateChart.render(title, points, steps, new GateChart.DecisionMark(T0.plusSeconds(30), GateDecision.Outcome.ROLLBACK));
    }

    @Test
    void isWellFormedWithBothSeriesWeightStepsAndTheDecision() throws Exception {
        Document doc = parse(chart("error ratio"));

        assertThat(drawn(doc, "canary-series")).isEqualTo(3);
        assertThat(drawn(doc, "baseline-series")).isEqualTo(3);
        assertThat(pieces(doc, "canary-series")).isEqualTo(1);
        assertThat(byId(doc, "g", "weight-steps").getTextContent()).contains("10%").contains("25%");
        assertThat(byId(doc, "g", "decision").getTextContent()).contains("ROLLBACK 2026-01-01T00:00:30Z");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
    }

    @Test
    void aDecisionAtTheLastLookIsLabelledInsideThePlotNotPastItsRightEdge() throws Exception {
        Element label = (Element) byId(parse(chart("error ratio")), "g", "decision").getElementsByTagName("text").item(0);
        Element plot = (Element) parse(chart("error ratio")).getElementsByTagName("rect").item(0);
        double right = Double.parseDouble(plot.getAttribute("x")) + Double.parseDouble(plot.getAttribute("width"));

        assertThat(label.getAttribute("text-anchor")).isEqualTo("end");
        assertThat(Double.parseDouble(label.getAttribute("x"))).isLessThan(right);
    }

    @Test
    void aGateThatDecidedAtItsFirstLookShowsThatLook() throws Exception {
        Document doc = parse(GateChart.render("rollback", List.of(new GateChart.RatePoint(T0, 0.5, 0.0)),
                List.of(new GateChart.WeightStep(T0.minusSeconds(2), 10)),
                new GateChart.DecisionMark(T0, GateDecision.Outcome.ROLLBACK)));

        assertThat(byId(doc, "g", "canary-looks").getElementsByTagName("circle").getLength()).isEqualTo(1);
        assertThat(byId(doc, "g", "baseline-looks").getElementsByTagName("circle").getLength()).isEqualTo(1);
    }

    @Test
    void escapesAHostileMetricName() throws Exception {
        String svg = chart(HOSTILE);
        Document doc = parse(svg);

        assertThat(svg).doesNotContain("<script").doesNotContain("<!--");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("errors\"><script>alert(1)</script>&<!-- ?");
    }

    @Test
    void buildsRatesFromEvidenceHistory() {
        Evidence look = new Evidence("errors", T0, List.of(), Map.of("canaryErrors", 2.0, "canaryRequests", 100.0,
                "baselineErrors", 9.0, "baselineRequests", 900.0), "log e-value", 0.5, 4.6,
                new Verdict.Inconclusive("collecting", true));
        Evidence blind = Evidence.withoutStatistic("errors", T0.plusSeconds(10), List.of(), new Verdict.NoData("empty"));

        assertThat(GateChart.ratesFrom(List.of(look, blind)))
                .containsExactly(new GateChart.RatePoint(T0, 0.02, 0.01));
    }

    @Test
    void aCanaryRateWithoutTrafficIsAGapNotALine() throws Exception {
        // The drill's case: rates until the rollback at 30 s, then the canary's weight is 0 and its
        // 5 s rate window keeps "falling" for a few seconds; a NaN (0/0) at 15 s is no data too.
        List<GateChart.RatePoint> points = List.of(
                new GateChart.RatePoint(T0.plusSeconds(10), 0.01, 0.01),
                new GateChart.RatePoint(T0.plusSeconds(15), Double.NaN, 0.01),
                new GateChart.RatePoint(T0.plusSeconds(20), 0.2, 0.01),
                new GateChart.RatePoint(T0.plusSeconds(30), 0.2, 0.01),
                new GateChart.RatePoint(T0.plusSeconds(31), 0.15, 0.01),
                new GateChart.RatePoint(T0.plusSeconds(33), 0.05, 0.01));
        List<GateChart.WeightStep> steps = List.of(new GateChart.WeightStep(T0, 10),
                new GateChart.WeightStep(T0.plusMillis(30_500), 0));

        Document doc = parse(GateChart.render("rollback", points, steps,
                new GateChart.DecisionMark(T0.plusSeconds(30), GateDecision.Outcome.ROLLBACK)));

        assertThat(drawn(doc, "canary-series")).isEqualTo(3);
        assertThat(pieces(doc, "canary-series")).isEqualTo(2);
        assertThat(drawn(doc, "baseline-series")).isEqualTo(6);
        assertThat(pieces(doc, "baseline-series")).isEqualTo(1);
    }

    @Test
    void aLookWithoutNewCanaryRequestsHasNoCanaryRate() {
        Evidence first = new Evidence("errors", T0, List.of(), Map.of("canaryErrors", 2.0, "canaryRequests", 100.0,
                "baselineErrors", 9.0, "baselineRequests", 900.0), "log e-value", 0.5, 4.6,
                new Verdict.Inconclusive("collecting", true));
        Evidence idle = new Evidence("errors", T0.plusSeconds(10), List.of(), Map.of("canaryErrors", 2.0,
                "canaryRequests", 100.0, "baselineErrors", 18.0, "baselineRequests", 1800.0), "log e-value", 0.5, 4.6,
                new Verdict.Inconclusive("collecting", true));

        List<GateChart.RatePoint> rates = GateChart.ratesFrom(List.of(first, idle));

        assertThat(rates).hasSize(2);
        assertThat(rates.get(1).canaryRate()).isNaN();
        assertThat(rates.get(1).baselineRate()).isEqualTo(0.01);
    }
}
