package dev.rollbackdeploy.bench.sim;

import dev.rollbackdeploy.gate.ErrorCounts;
import dev.rollbackdeploy.gate.ErrorRatioJudge;
import dev.rollbackdeploy.gate.ErrorRatioState;
import dev.rollbackdeploy.gate.Verdict;
import java.util.SplittableRandom;

/** Ours: the engine's {@link ErrorRatioJudge} looked at every tick, on cumulative counts. */
public final class SequentialRule implements GateRule {

    private final ErrorRatioJudge judge;
    private ErrorRatioState state = ErrorRatioState.START;
    private long ce;
    private long cr;
    private long be;
    private long br;

    public SequentialRule(ErrorRatioJudge judge) {
        this.judge = judge;
    }

    @Override
    public Call observe(Tick tick, SplittableRandom random) {
        ce += tick.canaryErrors();
        cr += tick.canaryRequests();
        be += tick.baselineErrors();
        br += tick.baselineRequests();
        ErrorRatioJudge.Result result = judge.judge(state, new ErrorCounts(ce, cr, be, br));
        state = result.state();
        Verdict verdict = result.verdict();
        if (verdict instanceof Verdict.Fail) {
            return Call.ROLLBACK;
        }
        return verdict instanceof Verdict.Pass ? Call.PROMOTE : Call.CONTINUE;
    }

    @Override
    public long requestsSeen() {
        return cr;
    }
}
