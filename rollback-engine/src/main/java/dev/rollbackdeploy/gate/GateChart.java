package dev.rollbackdeploy.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A small self-contained SVG of one gate: canary and baseline error rates over time, the canary
 * weight steps, and where the decision fell. No scripts, no external references, every piece of text
 * XML-escaped, so the build page and the HTML report can inline it as is.
 */
public final class GateChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 48;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    /** Error rates at one look. */
    public record RatePoint(Instant at, double canaryRate, double baselineRate) {
    }

    /** The canary weight from {@code at} on, in percent. */
    public record WeightStep(Instant at, int percent) {
        public WeightStep {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("weight must be 0..100, got " + percent);
            }
        }
    }

    /** Where and how the gate ended. */
    public record DecisionMark(Instant at, GateDecision.Outcome outcome) {
    }

    private GateChart() {
    }

    /**
     * Per-look error rates of one error-ratio metric, from its evidence history (cumulative counts).
     * A look where an arm served no new requests has no rate for that arm (NaN, drawn as a gap): the
     * cumulative ratio would otherwise run on flat as if that arm were still being measured.
     */
    public static List<RatePoint> ratesFrom(List<Evidence> history) {
        List<RatePoint> points = new ArrayList<>();
        double lastCanary = 0;
        double lastBaseline = 0;
        for (Evidence e : history) {
            Double ce = e.values().get("canaryErrors");
            Double cr = e.values().get("canaryRequests");
            Double be = e.values().get("baselineErrors");
            Double br = e.values().get("baselineRequests");
            if (ce != null && cr != null && be != null && br != null && (cr > 0 || br > 0)) {
                points.add(new RatePoint(e.at(), cr > lastCanary ? ce / cr : Double.NaN,
                        br > lastBaseline ? be / br : Double.NaN));
                lastCanary = cr;
                lastBaseline = br;
            }
        }
        return points;
    }

    public static String render(String title, List<RatePoint> points, List<WeightStep> steps, DecisionMark decision) {
        Instant start = first(points, steps, decision);
        Instant end = last(points, steps, decision);
        double span = Math.max(1, Duration.between(start, end).toMillis());
        double maxRate = points.stream().mapToDouble(p -> Math.max(finite(p.canaryRate()), finite(p.baselineRate())))
                .max().orElse(0);
        double top = maxRate > 0 ? maxRate * 1.1 : 0.01;
        Scale scale = new Scale(start, span, top);

        StringBuilder svg = new StringBuilder(2048);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\">").append(escape(title)).append("</text>");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth())
                .append("\" height=\"").append(plotHeight()).append("\" fill=\"none\" stroke=\"#999\"/>");
        axisLabels(svg, top);
        weightSteps(svg, steps, scale, end);
        series(svg, "baseline", "#1f77b4", points, scale, p -> p.baselineRate());
        series(svg, "canary", "#d62728", points, scale, p -> withTraffic(p, steps));
        if (decision != null) {
            double x = scale.x(decision.at());
            String color = decision.outcome() == GateDecision.Outcome.PROMOTE ? "#2ca02c" : "#d62728";
            svg.append("<g id=\"decision\"><line x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                    .append(fmt(x)).append("\" y2=\"").append(TOP + plotHeight()).append("\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>");
            // a decision in the right half (usually the last look) is labelled to its left, inside the plot
            boolean right = x > LEFT + plotWidth() / 2.0;
            svg.append("<text x=\"").append(fmt(right ? x - 4 : x + 4)).append("\" y=\"").append(TOP + 12)
                    .append(right ? "\" text-anchor=\"end" : "").append("\" fill=\"").append(color).append("\">")
                    .append(escape(decision.outcome() + " " + decision.at())).append("</text></g>");
        }
        legend(svg);
        return svg.append("</svg>").toString();
    }

    private record Scale(Instant start, double spanMillis, double topRate) {
        double x(Instant t) {
            return LEFT + plotWidth() * Duration.between(start, t).toMillis() / spanMillis;
        }

        double y(double rate) {
            return TOP + plotHeight() * (1 - Math.min(finite(rate), topRate) / topRate);
        }

        double yWeight(int percent) {
            return TOP + plotHeight() * (1 - percent / 100.0);
        }
    }

    /**
     * One path per arm; a point without a finite rate ends the line and the next one starts a new piece,
     * so missing data shows as a gap instead of a line drawn across it (issue 9: the canary's line kept
     * falling after the rollback although the canary got no traffic). A lone point is a dot.
     */
    private static void series(StringBuilder svg, String name, String color, List<RatePoint> points, Scale scale,
                               ToDoubleFunction<RatePoint> rate) {
        svg.append("<path id=\"").append(name).append("-series\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"");
        boolean drawing = false;
        StringBuilder marks = new StringBuilder();
        for (RatePoint p : points) {
            double value = rate.applyAsDouble(p);
            if (!Double.isFinite(value)) {
                drawing = false;
                continue;
            }
            String at = fmt(scale.x(p.at())) + "," + fmt(scale.y(value));
            svg.append(drawing ? "L" : "M").append(at).append(drawing ? " " : " l0,0 ");
            drawing = true;
            // a mark per look: a gate that decided at its first look still shows what it saw
            marks.append("<circle cx=\"").append(fmt(scale.x(p.at()))).append("\" cy=\"").append(fmt(scale.y(value)))
                    .append("\" r=\"2.5\"/>");
        }
        svg.append("\"/>");
        svg.append("<g id=\"").append(name).append("-looks\" fill=\"").append(color).append("\">").append(marks).append("</g>");
    }

    /** The canary's rate, or NaN while its weight is 0%: a rate without traffic is no data. */
    private static double withTraffic(RatePoint p, List<WeightStep> steps) {
        int weight = -1;
        for (WeightStep step : steps) {
            if (!step.at().isAfter(p.at())) {
                weight = step.percent();
            }
        }
        return weight == 0 ? Double.NaN : p.canaryRate();
    }

    private static void weightSteps(StringBuilder svg, List<WeightStep> steps, Scale scale, Instant end) {
        svg.append("<g id=\"weight-steps\" fill=\"#888\">");
        for (int i = 0; i < steps.size(); i++) {
            WeightStep step = steps.get(i);
            Instant until = i + 1 < steps.size() ? steps.get(i + 1).at() : end;
            double y = scale.yWeight(step.percent());
            svg.append("<line x1=\"").append(fmt(scale.x(step.at()))).append("\" y1=\"").append(fmt(y)).append("\" x2=\"")
                    .append(fmt(scale.x(until))).append("\" y2=\"").append(fmt(y))
                    .append("\" stroke=\"#bbb\" stroke-width=\"6\" opacity=\"0.6\"/>");
            svg.append("<text x=\"").append(fmt(scale.x(step.at()) + 2)).append("\" y=\"").append(fmt(y - 4)).append("\">")
                    .append(step.percent()).append("%</text>");
        }
        svg.append("</g>");
    }

    private static void axisLabels(StringBuilder svg, double top) {
        svg.append("<text x=\"4\" y=\"").append(TOP + 10).append("\">").append(escape(percent(top))).append("</text>");
        svg.append("<text x=\"4\" y=\"").append(TOP + plotHeight()).append("\">0%</text>");
        svg.append("<text x=\"").append(WIDTH - RIGHT + 4).append("\" y=\"").append(TOP + 10).append("\">w 100%</text>");
    }

    private static void legend(StringBuilder svg) {
        int y = HEIGHT - 10;
        svg.append("<g id=\"legend\"><text x=\"").append(LEFT).append("\" y=\"").append(y)
                .append("\" fill=\"#d62728\">canary error rate</text><text x=\"").append(LEFT + 130).append("\" y=\"").append(y)
                .append("\" fill=\"#1f77b4\">baseline error rate</text><text x=\"").append(LEFT + 270).append("\" y=\"")
                .append(y).append("\" fill=\"#888\">canary weight</text></g>");
    }

    /** XML text and attribute escaping; drops characters XML 1.0 cannot carry at all. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') {
                        if (ch < 0xFFFE) {
                            out.append(ch);
                        }
                    } else {
                        out.append('?');
                    }
                }
            }
        }
        return out.toString();
    }

    private static Instant first(List<RatePoint> points, List<WeightStep> steps, DecisionMark decision) {
        List<Instant> all = times(points, steps, decision);
        return all.stream().min(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private static Instant last(List<RatePoint> points, List<WeightStep> steps, DecisionMark decision) {
        List<Instant> all = times(points, steps, decision);
        return all.stream().max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private static List<Instant> times(List<RatePoint> points, List<WeightStep> steps, DecisionMark decision) {
        List<Instant> all = new ArrayList<>();
        points.forEach(p -> all.add(p.at()));
        steps.forEach(s -> all.add(s.at()));
        if (decision != null) {
            all.add(decision.at());
        }
        return all;
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.3g%%", rate * 100);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
