package io.hilal.core.lift;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The simulations behind LIFT.md, shared by the tests (a few hundred campaigns) and {@code
 * bench/run LiftSimulation <seed>} (5,000 per setting). Everything goes through {@link
 * LiftAnalysis}, the code the reports run.
 *
 * <ul>
 *   <li><b>Peeking (A/A).</b> Real purchases with no treatment: the Online Retail customers who
 *       bought before 2011-09-01 are split at random (10% or 50% holdout) into a pretend campaign
 *       sent that day, which is looked at every day of a 30-, 60- or 90-day window: interim looks
 *       with the always-valid interval, the last day with the final (fixed-horizon) one. Counted:
 *       campaigns where any look's headline interval excludes 0; where the headline or any adjusted
 *       secondary claims an effect; and, beside them, the naive figure — the ordinary 95% interval
 *       at every look.
 *   <li><b>Revenue capture.</b> Synthetic campaigns built from real customers: each of {@code
 *       customers} customers is, with probability equal to the buy rate, a random Online Retail
 *       customer who bought in the 90 days after the send (their pre-period, orders and revenue),
 *       else one who did not (revenue 0); 10% are held out; treated buyers spend 30% more. The
 *       final report's incremental revenue is compared with the truth on the reported scale
 *       (revenue capped at the report's cut-offs: Σ over treated of cap(1.3 v) − cap(v)); the share
 *       of the uncapped increment (Σ 0.3 v) it recovers is reported beside it.
 * </ul>
 *
 * Random numbers come from one {@link SplittableRandom} per campaign, derived from the seed, the
 * setting and the campaign's index, so results do not depend on thread scheduling.
 */
public final class LiftSimulation {
    public static final int[] WINDOWS = {30, 60, 90};
    public static final double[] HOLDOUTS = {0.1, 0.5};
    public static final double[] BUY_RATES = {0.015, 0.03, 0.05, 0.2, 0.6};
    public static final double LIFT_ON_BUYERS = 0.3;
    public static final double REVENUE_HOLDOUT = 0.1;

    private LiftSimulation() {}

    /** One A/A setting: shares of campaigns with a claim on some look. */
    public record Peeking(
            int windowDays,
            double holdoutShare,
            int campaigns,
            double naive,
            double sequential,
            double anyClaim,
            double finalLookOnly) {}

    /** One buy rate: reported ÷ true incremental revenue and interval coverage. */
    public record RevenueCapture(
            double buyRate,
            int campaigns,
            int notEnoughData,
            double medianRatio,
            double coverage,
            double medianUncappedRatio) {}

    /** Every setting, and the one-line summary. */
    public record Summary(long seed, List<Peeking> peeking, List<RevenueCapture> revenue) {
        public String line() {
            double peekingFpr = peeking.stream().mapToDouble(Peeking::sequential).max().orElse(0);
            double anyClaim = peeking.stream().mapToDouble(Peeking::anyClaim).max().orElse(0);
            double capture =
                    revenue.stream().mapToDouble(RevenueCapture::medianRatio).min().orElse(0);
            double low = revenue.stream().mapToDouble(RevenueCapture::coverage).min().orElse(0);
            double high = revenue.stream().mapToDouble(RevenueCapture::coverage).max().orElse(0);
            return String.format(
                    Locale.ROOT,
                    "lift-simulation seed=%d peeking-fpr=%.4f any-claim-fpr=%.4f"
                            + " revenue-capture=%.3f coverage=%.4f-%.4f",
                    seed,
                    peekingFpr,
                    anyClaim,
                    capture,
                    low,
                    high);
        }
    }

    public static Summary run(
            OnlineRetailDays data,
            long seed,
            int campaigns,
            int revenueCampaigns,
            int customersPerCampaign,
            PrintStream log) {
        LiftAnalysis.Settings settings = LiftAnalysis.Settings.defaults();
        List<Peeking> peeking = new ArrayList<>();
        for (int w = 0; w < WINDOWS.length; w++) {
            LiftAnalysis.Prepared[] looks = new LiftAnalysis.Prepared[WINDOWS[w] + 1];
            for (int day = 1; day <= WINDOWS[w]; day++) {
                looks[day] = LiftAnalysis.prepare(data.outcomes(day), settings);
            }
            for (int h = 0; h < HOLDOUTS.length; h++) {
                Peeking result =
                        peeking(
                                looks,
                                WINDOWS[w],
                                HOLDOUTS[h],
                                campaigns,
                                seed,
                                w * 10 + h,
                                settings);
                peeking.add(result);
                log.printf(
                        Locale.ROOT,
                        "A/A, daily looks, %d days, %.0f%% holdout, %d campaigns: any look claims"
                                + " %.4f (naive 95%% every look: %.4f); headline or adjusted"
                                + " secondary %.4f; final look alone %.4f%n",
                        result.windowDays(),
                        100 * result.holdoutShare(),
                        result.campaigns(),
                        result.sequential(),
                        result.naive(),
                        result.anyClaim(),
                        result.finalLookOnly());
            }
        }
        List<RevenueCapture> revenue = new ArrayList<>();
        LiftAnalysis.Outcomes base = data.outcomes(OnlineRetailDays.MAX_DAYS);
        for (int r = 0; r < BUY_RATES.length; r++) {
            RevenueCapture result =
                    revenue(
                            base,
                            BUY_RATES[r],
                            revenueCampaigns,
                            customersPerCampaign,
                            seed,
                            100 + r,
                            settings);
            revenue.add(result);
            log.printf(
                    Locale.ROOT,
                    "Revenue, +30%% on buyers, %.1f%% buy rate, %d customers, %d campaigns (%d not"
                            + " enough data): median reported/true %.3f, coverage %.4f; median"
                            + " reported/uncapped increment %.3f%n",
                    100 * result.buyRate(),
                    customersPerCampaign,
                    result.campaigns(),
                    result.notEnoughData(),
                    result.medianRatio(),
                    result.coverage(),
                    result.medianUncappedRatio());
        }
        return new Summary(seed, peeking, revenue);
    }

    private static SplittableRandom random(long seed, int setting, int campaign) {
        return new SplittableRandom(seed * 1_000_003L + setting * 7_919L + campaign);
    }

    /** Sums and sums of squares of one prepared array, to split by summing the holdout only. */
    private record Totals(double[] values, double sum, double squares) {
        static Totals of(double[] values) {
            double sum = 0;
            double squares = 0;
            for (double v : values) {
                sum += v;
                squares += v * v;
            }
            return new Totals(values, sum, squares);
        }

        Sample[] split(int[] holdout) {
            double hs = 0;
            double hss = 0;
            for (int i : holdout) {
                double v = values[i];
                hs += v;
                hss += v * v;
            }
            return new Sample[] {
                sample(values.length - holdout.length, sum - hs, squares - hss),
                sample(holdout.length, hs, hss)
            };
        }

        private static Sample sample(long n, double sum, double squares) {
            double mean = sum / n;
            return new Sample(
                    n, mean, n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0);
        }
    }

    private static Peeking peeking(
            LiftAnalysis.Prepared[] looks,
            int window,
            double holdoutShare,
            int campaigns,
            long seed,
            int setting,
            LiftAnalysis.Settings settings) {
        Totals[][] totals = new Totals[window + 1][];
        for (int day = 1; day <= window; day++) {
            LiftAnalysis.Prepared p = looks[day];
            totals[day] =
                    new Totals[] {
                        Totals.of(p.repeat().values()),
                        Totals.of(p.repeat().adjusted()),
                        Totals.of(p.orders().values()),
                        Totals.of(p.orders().adjusted()),
                        Totals.of(p.revenue().values()),
                        Totals.of(p.revenue().adjusted())
                    };
        }
        int n = looks[1].size();
        double alpha = 1 - settings.confidence();
        AtomicIntegerArray counts = new AtomicIntegerArray(4);
        IntStream.range(0, campaigns)
                .parallel()
                .forEach(
                        c -> {
                            SplittableRandom random = random(seed, setting, c);
                            int[] holdout =
                                    IntStream.range(0, n)
                                            .filter(i -> random.nextDouble() < holdoutShare)
                                            .toArray();
                            boolean naive = false;
                            boolean sequential = false;
                            boolean any = false;
                            boolean finalOnly = false;
                            for (int day = 1; day <= window; day++) {
                                Totals[] t = totals[day];
                                LiftAnalysis.Split split =
                                        new LiftAnalysis.Split(
                                                looks[day],
                                                t[0].split(holdout),
                                                t[1].split(holdout),
                                                t[2].split(holdout),
                                                t[3].split(holdout),
                                                t[4].split(holdout),
                                                t[5].split(holdout));
                                Look look =
                                        day < window
                                                ? settings.interim(day, window, n)
                                                : settings.finalLook(window);
                                LiftAnalysis.Result result =
                                        LiftAnalysis.compare(split, settings, look);
                                if (!result.enoughData()) {
                                    continue;
                                }
                                boolean claim = result.repeatRate().estimate().significant();
                                sequential |= claim;
                                any |=
                                        claim
                                                || result.ordersPerCustomer().claimsEffect(alpha)
                                                || result.revenuePerCustomer().claimsEffect(alpha);
                                if (day == window) {
                                    finalOnly = claim;
                                }
                                naive |= naiveClaim(split.repeatAdjusted(), alpha);
                            }
                            counts.addAndGet(0, naive ? 1 : 0);
                            counts.addAndGet(1, sequential ? 1 : 0);
                            counts.addAndGet(2, any ? 1 : 0);
                            counts.addAndGet(3, finalOnly ? 1 : 0);
                        });
        return new Peeking(
                window,
                holdoutShare,
                campaigns,
                (double) counts.get(0) / campaigns,
                (double) counts.get(1) / campaigns,
                (double) counts.get(2) / campaigns,
                (double) counts.get(3) / campaigns);
    }

    /** The old daily report: Welch's 95% interval at every look, as if each were the only one. */
    private static boolean naiveClaim(Sample[] arms, double alpha) {
        double v1 = arms[0].variance() / arms[0].n();
        double v0 = arms[1].variance() / arms[1].n();
        if (v1 + v0 == 0) {
            return false;
        }
        double t = Math.abs(arms[0].mean() - arms[1].mean()) / Math.sqrt(v1 + v0);
        double df = LiftStatistics.welchDegreesOfFreedom(v1, v0, arms[0].n(), arms[1].n());
        return 2 * new TDistribution(null, df).cumulativeProbability(-t) < alpha;
    }

    private static RevenueCapture revenue(
            LiftAnalysis.Outcomes base,
            double buyRate,
            int campaigns,
            int customers,
            long seed,
            int setting,
            LiftAnalysis.Settings settings) {
        int[] buyers = IntStream.range(0, base.size()).filter(i -> base.orders()[i] > 0).toArray();
        int[] others = IntStream.range(0, base.size()).filter(i -> base.orders()[i] == 0).toArray();
        double[] ratios = new double[campaigns];
        double[] uncapped = new double[campaigns];
        boolean[] enough = new boolean[campaigns];
        boolean[] covered = new boolean[campaigns];
        IntStream.range(0, campaigns)
                .parallel()
                .forEach(
                        c -> {
                            SplittableRandom random = random(seed, setting, c);
                            double[] orders = new double[customers];
                            double[] revenue = new double[customers];
                            double[] preOrders = new double[customers];
                            double[] preRevenue = new double[customers];
                            double[] untreated = new double[customers];
                            boolean[] heldOut = new boolean[customers];
                            for (int i = 0; i < customers; i++) {
                                boolean buys = random.nextDouble() < buyRate;
                                int from =
                                        buys
                                                ? buyers[random.nextInt(buyers.length)]
                                                : others[random.nextInt(others.length)];
                                heldOut[i] = random.nextDouble() < REVENUE_HOLDOUT;
                                orders[i] = base.orders()[from];
                                untreated[i] = base.revenue()[from];
                                revenue[i] =
                                        !heldOut[i] && untreated[i] > 0
                                                ? untreated[i] * (1 + LIFT_ON_BUYERS)
                                                : untreated[i];
                                preOrders[i] = base.preOrders()[from];
                                preRevenue[i] = base.preRevenue()[from];
                            }
                            LiftAnalysis.Result result =
                                    LiftAnalysis.analyze(
                                            new LiftAnalysis.Outcomes(
                                                    orders, revenue, preOrders, preRevenue),
                                            heldOut,
                                            settings,
                                            settings.finalLook(OnlineRetailDays.MAX_DAYS));
                            if (!result.enoughData()) {
                                return;
                            }
                            Winsorizer.Cutoffs cut = result.revenuePerCustomer().cutoffs();
                            double truth = 0;
                            double raw = 0;
                            for (int i = 0; i < customers; i++) {
                                if (!heldOut[i]) {
                                    truth += clamp(cut, revenue[i]) - clamp(cut, untreated[i]);
                                    raw += revenue[i] - untreated[i];
                                }
                            }
                            LiftAnalysis.IncrementalRevenue reported = result.incrementalRevenue();
                            enough[c] = true;
                            ratios[c] = reported.estimate() / truth;
                            uncapped[c] = reported.estimate() / raw;
                            covered[c] = reported.low() <= truth && truth <= reported.high();
                        });
        int measured = 0;
        int inside = 0;
        List<Double> kept = new ArrayList<>();
        List<Double> keptRaw = new ArrayList<>();
        for (int c = 0; c < campaigns; c++) {
            if (enough[c]) {
                measured++;
                inside += covered[c] ? 1 : 0;
                kept.add(ratios[c]);
                keptRaw.add(uncapped[c]);
            }
        }
        return new RevenueCapture(
                buyRate,
                campaigns,
                campaigns - measured,
                median(kept),
                measured == 0 ? 0 : (double) inside / measured,
                median(keptRaw));
    }

    private static double clamp(Winsorizer.Cutoffs cut, double value) {
        return Math.max(cut.low(), Math.min(cut.high(), value));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
