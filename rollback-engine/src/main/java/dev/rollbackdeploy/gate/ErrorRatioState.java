package dev.rollbackdeploy.gate;

/**
 * What the error-ratio judge carries between looks: the e-value of closed share segments and where
 * the current segment started. Nine numbers, so a Jenkins step can persist it cheaply.
 *
 * @param closedLogE ln of the product of the final e-values of closed segments
 * @param segmentStart cumulative counts when the current segment started
 * @param last cumulative counts at the previous look
 * @param segments how many segments have been closed (weight steps seen)
 */
public record ErrorRatioState(double closedLogE, ErrorCounts segmentStart, ErrorCounts last, int segments) {

    public static final ErrorRatioState START = new ErrorRatioState(0, ErrorCounts.ZERO, ErrorCounts.ZERO, 0);

    public ErrorRatioState {
        if (Double.isNaN(closedLogE) || segmentStart == null || last == null || segments < 0) {
            throw new IllegalArgumentException("error-ratio state needs a log e-value, counts and segments >= 0, got "
                    + closedLogE + ", " + segmentStart + ", " + last + ", " + segments);
        }
    }
}
