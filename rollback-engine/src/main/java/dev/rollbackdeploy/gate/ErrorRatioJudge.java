package dev.rollbackdeploy.gate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Canary vs baseline error ratio as an anytime-valid sequential test ({@link BetaMixtureEProcess}):
 * Fail as soon as the e-value reaches 1/alpha, at any look; Pass only at the horizon, when no
 * regression was found and the canary served enough requests to vouch for it (rule of three).
 *
 * <p><b>The share w.</b> w is estimated from request counts: canary requests / all requests over the
 * current <i>segment</i>. Conditioning on requests makes the test indifferent to load that rises and
 * falls, since both arms see it. When the share of one look's new requests moves more than
 * {@link #SHARE_TOLERANCE} (relative) and {@link #SHARE_SIGMAS} standard deviations away from the
 * segment's share (a canary weight step, not noise), the
 * segment closes with its e-value and a new one starts with w re-estimated. (Pooling across a step is
 * right only while error rates stay constant: an error burst during a high-share step would be blamed
 * on the canary.) The product of the closed
 * segments' e-values and the running one is still a test supermartingale (each new segment starts at
 * 1 and has conditional expectation at most 1), so Ville's bound holds across weight steps; the price
 * is that the mixture relearns the effect after each step. Within a segment, noise in w is small
 * (Poisson request counts), and errors are treated as Poisson so X | N is binomial, not hypergeometric.
 *
 * <p><b>Horizon.</b> The e-process never accepts on its own. The horizon in canary requests is sized
 * from the exact fixed-horizon test for (p0, p0 * minimumEffect, alpha, beta = 5%): twice its n
 * (measured by simulation to give >= 95% power at the minimum effect), and never less than the rule
 * of three needs. Reaching it without rejection is Pass only with evidence on both sides (issue 9: a
 * 100%-error canary passed against an idle baseline): the baseline served at least the rule of three's
 * requests for the allowed rate p0 * minimumEffect (none at all is NoData at every look), and the
 * canary's own 95% upper bound, from its errors and requests, is at or below that rate. A canary whose
 * own lower bound at 1 - alpha is above it fails at the horizon whatever the baseline did.
 */
public final class ErrorRatioJudge {

    public static final double SHARE_TOLERANCE = 0.2;
    /** ... and by more than this many binomial standard deviations. */
    public static final double SHARE_SIGMAS = 4;
    /** A look with fewer new requests than this says too little about the share to start a segment. */
    static final long MIN_REQUESTS_TO_MOVE_SHARE = 50;

    private final double alpha;
    private final double minimumEffect;
    private final long horizon;
    private final double allowedRate;

    public ErrorRatioJudge(double alpha, double healthyRate, double minimumEffect) {
        this(alpha, healthyRate, minimumEffect, defaultHorizon(alpha, healthyRate, minimumEffect));
    }

    public ErrorRatioJudge(double alpha, double healthyRate, double minimumEffect, long horizonRequests) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be strictly between 0 and 1, got " + alpha);
        }
        if (!(minimumEffect > 1) || Double.isInfinite(minimumEffect)) {
            throw new IllegalArgumentException("minimum effect must be a finite ratio above 1, got " + minimumEffect);
        }
        if (!(healthyRate > 0 && healthyRate * minimumEffect < 1)) {
            throw new IllegalArgumentException("healthy error rate must be > 0 with rate * effect < 1, got "
                    + healthyRate + " * " + minimumEffect);
        }
        this.alpha = alpha;
        this.minimumEffect = minimumEffect;
        this.allowedRate = healthyRate * minimumEffect;
        long required = MinimumEvidence.requiredRequests(allowedRate);
        if (horizonRequests < required) {
            throw new IllegalArgumentException("horizon must be at least the " + required
                    + " requests the rule of three needs for " + allowedRate + ", got " + horizonRequests);
        }
        this.horizon = horizonRequests;
    }

    /** Twice the exact fixed-horizon n at beta = 5%, at least the rule of three. */
    public static long defaultHorizon(double alpha, double healthyRate, double minimumEffect) {
        FixedHorizonBinomial fixed = FixedHorizonBinomial.plan(healthyRate, healthyRate * minimumEffect, alpha, 0.05);
        return Math.max(2 * fixed.n(), MinimumEvidence.requiredRequests(healthyRate * minimumEffect));
    }

    public long horizon() {
        return horizon;
    }

    public double threshold() {
        return Math.log(1 / alpha);
    }

    /** The verdict, the state for the next look, and the numbers behind the verdict. */
    public record Result(Verdict verdict, ErrorRatioState state, double logE, Map<String, Double> values) {
    }

    public Result judge(ErrorRatioState state, ErrorCounts now) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("canaryErrors", (double) now.canaryErrors());
        values.put("canaryRequests", (double) now.canaryRequests());
        values.put("baselineErrors", (double) now.baselineErrors());
        values.put("baselineRequests", (double) now.baselineRequests());
        // A look that does not follow from the last one decides nothing. The count restarts from it (the segment
        // closes with the evidence up to the last look, a new one starts here), so one odd look cannot hold the
        // gate: comparing every later look with an over-extrapolated one kept a failing canary undecided for 11
        // looks in CI, until the inconclusive limit rolled it back with the wrong reason.
        if (now.anyBelow(state.last())) {
            return restartAt(state, now, values, "cumulative counts went backwards (" + now + " after "
                    + state.last() + "): a counter reset or a changed query; counting again from this look");
        }
        if (!now.grewConsistentlySince(state.last())) {
            return restartAt(state, now, values, "errors grew more than requests since the last look (" + now
                    + " after " + state.last() + "): the error and request series were sampled apart (increase()"
                    + " extrapolates each on its own); counting again from this look");
        }
        if (now.canaryRequests() == 0) {
            return new Result(new Verdict.NoData("no canary traffic yet: no traffic is no evidence"),
                    new ErrorRatioState(state.closedLogE(), state.segmentStart(), now, state.segments()),
                    state.closedLogE(), values);
        }
        ErrorRatioState current = maybeStartSegment(state, now);
        ErrorCounts segment = now.minus(current.segmentStart());
        double share = segment.canaryShare();
        double logE = current.closedLogE() + segmentLogE(segment);
        ErrorRatioState next = new ErrorRatioState(current.closedLogE(), current.segmentStart(), now, current.segments());
        values.put("canaryShare", share);
        values.put("segments", (double) current.segments() + 1);
        values.put("horizonRequests", (double) horizon);
        return new Result(verdict(now, logE), next, logE, values);
    }

    private Result restartAt(ErrorRatioState state, ErrorCounts now, Map<String, Double> values, String why) {
        // last - segmentStart is a sum of looks that each followed from the one before: consistent counts.
        double closed = state.closedLogE() + segmentLogE(state.last().minus(state.segmentStart()));
        return new Result(new Verdict.NoData(why), new ErrorRatioState(closed, now, now, state.segments() + 1),
                closed, values);
    }

    private Verdict verdict(ErrorCounts now, double logE) {
        String evalue = String.format(Locale.ROOT, "e-value %.3g", Math.exp(logE));
        String bound = String.format(Locale.ROOT, "%.3g", 1 / alpha);
        String counts = "canary " + now.canaryErrors() + "/" + now.canaryRequests() + " errors, baseline "
                + now.baselineErrors() + "/" + now.baselineRequests();
        if (logE >= threshold()) {
            return new Verdict.Fail(evalue + " >= " + bound + ": canary error rate is above baseline (" + counts + ")");
        }
        boolean atHorizon = now.canaryRequests() >= horizon;
        // A canary that is bad on its own is bad whatever the baseline does. Only from the horizon on, and
        // against the allowed rate p0 * effect: at a healthy p0 its chance is far below alpha (0.1% vs 1%
        // at 1,546 requests needs >= 29 errors where 1.5 are expected), so it takes no share of alpha.
        double lower = MinimumEvidence.lowerBound(now.canaryErrors(), now.canaryRequests(), 1 - alpha);
        if (atHorizon && lower > allowedRate) {
            return new Verdict.Fail(String.format(Locale.ROOT, "the canary's own error rate is at least %.3g"
                    + " (%.0f%% confidence), above the allowed %s (%s)", lower, 100 * (1 - alpha), allowedRate, counts));
        }
        if (now.baselineRequests() == 0) {
            return new Verdict.NoData("the baseline served no requests (" + counts + "): nothing to compare the"
                    + " canary with (stable drained or down, or a query that reads 0 without traffic); no baseline"
                    + " is no evidence");
        }
        if (!atHorizon) {
            return new Verdict.Inconclusive(evalue + " < " + bound + " after " + now.canaryRequests() + " of "
                    + horizon + " canary requests (" + counts + ")", true);
        }
        long comparable = MinimumEvidence.requiredRequests(allowedRate);
        if (now.baselineRequests() < comparable) {
            return new Verdict.NoData("the baseline served " + now.baselineRequests() + " requests, fewer than the "
                    + comparable + " needed to compare with at " + allowedRate + " (" + counts
                    + "): a baseline too small is no evidence of no regression");
        }
        Verdict own = MinimumEvidence.judge(now.canaryErrors(), now.canaryRequests(), allowedRate);
        if (!(own instanceof Verdict.Pass)) {
            return own;
        }
        return new Verdict.Pass("no regression of " + minimumEffect + "x or more: " + evalue + " < " + bound
                + " at the horizon of " + horizon + " canary requests, and " + own.reason() + " (" + counts + ")");
    }

    private ErrorRatioState maybeStartSegment(ErrorRatioState state, ErrorCounts now) {
        ErrorCounts segmentSoFar = state.last().minus(state.segmentStart());
        ErrorCounts look = now.minus(state.last());
        if (segmentSoFar.canaryRequests() == 0 || segmentSoFar.baselineRequests() == 0
                || look.totalRequests() < MIN_REQUESTS_TO_MOVE_SHARE) {
            return state;
        }
        double segmentShare = segmentSoFar.canaryShare();
        double expected = look.totalRequests() * segmentShare;
        double deviation = Math.abs(look.canaryRequests() - expected);
        double noise = Math.sqrt(expected * (1 - segmentShare));
        // Both a relevant move and one Poisson noise cannot explain: at 10 canary requests a look,
        // noise alone moves the share by 30%, and restarting the mixture on noise throws power away.
        if (deviation <= SHARE_TOLERANCE * expected || deviation <= SHARE_SIGMAS * noise) {
            return state;
        }
        double closed = state.closedLogE() + segmentLogE(segmentSoFar);
        return new ErrorRatioState(closed, state.last(), state.last(), state.segments() + 1);
    }

    private double segmentLogE(ErrorCounts segment) {
        // Without traffic on one side there is no share to compare with: the segment adds no evidence.
        if (segment.canaryRequests() == 0 || segment.baselineRequests() == 0 || segment.totalErrors() == 0) {
            return 0;
        }
        return new BetaMixtureEProcess(segment.canaryShare(), minimumEffect)
                .logE(segment.canaryErrors(), segment.totalErrors());
    }
}
