package dev.rollbackdeploy.bench;

import dev.rollbackdeploy.bench.sim.FixedHorizonRule;
import dev.rollbackdeploy.bench.sim.GateRule;
import dev.rollbackdeploy.bench.sim.IntervalThresholdRule;
import dev.rollbackdeploy.bench.sim.KayentaRule;
import dev.rollbackdeploy.bench.sim.RuleStats;
import dev.rollbackdeploy.bench.sim.SequentialRule;
import dev.rollbackdeploy.bench.sim.Tick;
import dev.rollbackdeploy.gate.ErrorRatioJudge;
import dev.rollbackdeploy.gate.FixedHorizonBinomial;
import dev.rollbackdeploy.gate.MannWhitneyJudge;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Side-by-side simulation of canary gate rules on the same traffic (docs/benchmarks.md, "Metric gates:
 * simulation"). Poisson arrivals, canary share 10%, 10-second ticks; every rule sees every tick of
 * every run. Run with
 * {@code java -cp rollback-benchmarks/target/benchmarks.jar dev.rollbackdeploy.bench.GateSimulation [--runs N]}:
 * N healthy (A/A) rollouts per scenario (default 10,000) and N/5 per regression.
 */
public final class GateSimulation {

    static final double ALPHA = 0.01;
    static final double BETA = 0.05;
    static final double SHARE = 0.10;
    static final int TICK_SECONDS = 10;
    /** Longest simulated rollout: two hours. */
    static final int MAX_TICKS = 720;

    /** A healthy rate and the effect the rollout declares it must catch. */
    record Family(double healthyRate, double declaredEffect, double[] trueEffects) {
        double allowedRate() {
            return healthyRate * declaredEffect;
        }
    }

    record Rule(String name, Supplier<GateRule> fresh) {
    }

    private GateSimulation() {
    }

    public static void main(String[] args) {
        int runs = 10_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs") && i + 1 < args.length) {
                runs = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: GateSimulation [--runs N]   (N healthy rollouts per scenario, N/5 per regression)");
                System.exit(2);
            }
        }
        long started = System.nanoTime();
        List<Family> families = List.of(new Family(0.001, 10, new double[] {1, 10, 50}),
                new Family(0.01, 2, new double[] {1, 2, 10}));
        System.out.printf(Locale.ROOT, "GateSimulation: share %.0f%%, alpha %.2f, look every %d s, A/A runs %d, regression runs %d%n",
                SHARE * 100, ALPHA, TICK_SECONDS, runs, Math.max(1, runs / 5));
        System.out.println("| canary req/s | p0 -> p1 | rule | rollbacks | mean req | p90 req | mean s | p90 s | mean s to decide |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Family family : families) {
            FixedHorizonBinomial plan = FixedHorizonBinomial.plan(family.healthyRate(), family.allowedRate(), ALPHA, BETA);
            ErrorRatioJudge judge = new ErrorRatioJudge(ALPHA, family.healthyRate(), family.declaredEffect());
            List<Rule> rules = rules(family, plan, judge);
            for (double rate : new double[] {1, 10, 100}) {
                for (double effect : family.trueEffects()) {
                    int n = effect == 1 ? runs : Math.max(1, runs / 5);
                    Tick.Traffic traffic = new Tick.Traffic(rate, SHARE, family.healthyRate(), family.healthyRate() * effect,
                            TICK_SECONDS);
                    RuleStats[] stats = simulate(traffic, rules, n, seed(family, rate, effect));
                    for (int r = 0; r < rules.size(); r++) {
                        print(rate, family, effect, rules.get(r).name(), stats[r]);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "| fixed n for %s: %d (reject at >= %d); ours: horizon %d canary requests |%n",
                    label(family, family.declaredEffect()), plan.n(), plan.critical(), judge.horizon());
        }
        System.out.printf(Locale.ROOT, "elapsed %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static List<Rule> rules(Family family, FixedHorizonBinomial plan, ErrorRatioJudge judge) {
        double threshold = family.allowedRate();
        return List.of(
                new Rule("ours (e-process)", () -> new SequentialRule(judge)),
                new Rule("fixed-horizon n=" + plan.n(), () -> new FixedHorizonRule(plan)),
                new Rule("Argo (failureLimit 2)", () -> new IntervalThresholdRule(6, threshold, 3, 10)),
                new Rule("Flagger T=1", () -> new IntervalThresholdRule(6, threshold, 1, 10)),
                new Rule("Flagger T=5", () -> new IntervalThresholdRule(6, threshold, 5, 10)),
                new Rule("Kayenta MW", () -> new KayentaRule(MannWhitneyJudge.KAYENTA_DEFAULTS, 6, 10, 3)),
                // The same windows as a GateSpec runs a comparison: alpha 1% over 3 looks (Bonferroni).
                new Rule("ours MW (conf 0.9967)", () -> new KayentaRule(new MannWhitneyJudge(1 - ALPHA / 3, 0.25, 10), 6, 10, 3)));
    }

    /** Runs in fixed chunks with their own seeds, so results do not depend on thread scheduling. */
    static RuleStats[] simulate(Tick.Traffic traffic, List<Rule> rules, int runs, long seed) {
        int chunk = 250;
        int chunks = (runs + chunk - 1) / chunk;
        return IntStream.range(0, chunks).parallel()
                .mapToObj(c -> simulateChunk(traffic, rules, Math.min(chunk, runs - c * chunk), seed * 1_000_003L + c))
                .reduce(GateSimulation::merge).orElseThrow();
    }

    private static RuleStats[] simulateChunk(Tick.Traffic traffic, List<Rule> rules, int runs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RuleStats[] stats = new RuleStats[rules.size()];
        for (int r = 0; r < stats.length; r++) {
            stats[r] = new RuleStats();
        }
        GateRule[] live = new GateRule[rules.size()];
        for (int run = 0; run < runs; run++) {
            // Each run draws from its own streams, so the traffic of a run never depends on when the
            // rules of earlier runs decided: a changed rule leaves every other rule's figures as they were.
            SplittableRandom ticks = random.split();
            SplittableRandom thinning = random.split();
            for (int r = 0; r < live.length; r++) {
                live[r] = rules.get(r).fresh().get();
            }
            int open = live.length;
            for (int t = 1; t <= MAX_TICKS && open > 0; t++) {
                Tick tick = traffic.next(t, ticks);
                for (int r = 0; r < live.length; r++) {
                    if (live[r] == null) {
                        continue;
                    }
                    GateRule.Call call = live[r].observe(tick, thinning);
                    if (call != GateRule.Call.CONTINUE) {
                        stats[r].add(call, live[r].requestsSeen(), tick.seconds());
                        live[r] = null;
                        open--;
                    }
                }
            }
            for (int r = 0; r < live.length; r++) {
                if (live[r] != null) {
                    stats[r].add(GateRule.Call.PROMOTE, live[r].requestsSeen(), (long) MAX_TICKS * TICK_SECONDS);
                }
            }
        }
        return stats;
    }

    private static RuleStats[] merge(RuleStats[] a, RuleStats[] b) {
        RuleStats[] merged = new RuleStats[a.length];
        for (int i = 0; i < a.length; i++) {
            merged[i] = a[i].merge(b[i]);
        }
        return merged;
    }

    private static long seed(Family family, double rate, double effect) {
        return Double.hashCode(family.healthyRate()) * 31L + Double.hashCode(rate) * 17L + Double.hashCode(effect);
    }

    private static String label(Family family, double effect) {
        return effect == 1
                ? String.format(Locale.ROOT, "%s%% A/A", pct(family.healthyRate()))
                : String.format(Locale.ROOT, "%s%% -> %s%% (%.0fx)", pct(family.healthyRate()),
                        pct(family.healthyRate() * effect), effect);
    }

    private static String pct(double rate) {
        return new BigDecimal(Double.toString(rate * 100)).stripTrailingZeros().toPlainString();
    }

    private static void print(double rate, Family family, double effect, String rule, RuleStats s) {
        System.out.printf(Locale.ROOT, "| %.0f | %s | %s | %.2f%% | %s | %s | %s | %s | %.0f |%n", rate, label(family, effect), rule,
                100 * s.rollbackRate(), num(s.meanRequests()), num(s.p90Requests()), num(s.meanSeconds()),
                num(s.p90Seconds()), s.meanDecideSeconds());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }
}
