package io.hilal.bench.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic purchase log with a retail-like long tail, for timing ALS where Spark's job overhead
 * no longer dominates: {@code bench/spark-als/run generate --interactions 10000000 --out DIR}
 * writes {@code DIR/train.tsv} and {@code DIR/test.tsv} ({@code customer<TAB>product<TAB>count},
 * dense int ids), the same files for the same arguments on every machine (seeded {@link
 * SplittableRandom}).
 *
 * <p>How it is drawn, and why:
 *
 * <ul>
 *   <li>Product popularity is Zipf (exponent 1.0) over a random order of the products: a few
 *       products sell to many, most sell to few, as in Online Retail.
 *   <li>Customer activity is a discrete power law (Pareto, tail index 1.5) from 5 distinct products
 *       up, capped at a tenth of the catalog: most customers buy a handful, a few buy hundreds.
 *   <li>Taste: each product belongs to one of 100 themes and each customer has a main and a second
 *       theme; half of a customer's products come from the main theme, a fifth from the second, the
 *       rest from the whole catalog, each draw by popularity. Without such structure every model
 *       could only learn popularity and the Recall comparison would say nothing.
 *   <li>Counts: a pair is bought once, with a 20% chance of each further purchase (geometric).
 *   <li>Test split: a random fifth of each customer's distinct products (customers with at least
 *       5), which is what a model has to find from the other four fifths.
 * </ul>
 */
public final class SyntheticInteractions {
    static final int THEMES = 100;
    static final int MIN_ACTIVITY = 5;

    private SyntheticInteractions() {}

    public static void main(String[] args) throws IOException {
        long interactions =
                Long.parseLong(AlsVsSparkBenchmark.option(args, "--interactions", "1000000"));
        Path out = Path.of(AlsVsSparkBenchmark.option(args, "--out", "target/synthetic"));
        long seed = Long.parseLong(AlsVsSparkBenchmark.option(args, "--seed", "2026"));
        write(interactions, seed, out);
    }

    /** Customers: one per 30 interactions; products: one per 300, at least 2,000. */
    static void write(long interactions, long seed, Path out) throws IOException {
        int customers = (int) Math.max(1000, interactions / 30);
        int items = (int) Math.max(2000, interactions / 300);
        SplittableRandom random = new SplittableRandom(seed);

        // Zipf popularity over a random order of the products; each product gets a theme.
        int[] order = permutation(items, random);
        double[] popularity = new double[items];
        int[] theme = new int[items];
        for (int rank = 0; rank < items; rank++) {
            popularity[order[rank]] = 1.0 / (rank + 1);
        }
        for (int i = 0; i < items; i++) {
            theme[i] = random.nextInt(THEMES);
        }
        Sampler global = new Sampler(popularity, i -> true);
        Sampler[] byTheme = new Sampler[THEMES];
        for (int t = 0; t < THEMES; t++) {
            int wanted = t;
            byTheme[t] = new Sampler(popularity, i -> theme[i] == wanted);
        }

        // Pareto activity, scaled so the expected total is the requested number of pairs.
        double[] raw = new double[customers];
        double sum = 0;
        for (int u = 0; u < customers; u++) {
            raw[u] = Math.pow(1 - random.nextDouble(), -1 / 1.5);
            sum += raw[u];
        }
        int cap = Math.max(MIN_ACTIVITY, items / 10);
        // The floor and the cap move the total: bisect the scale until it is the requested one.
        double low = 0;
        double high = 4.0 * interactions / sum;
        for (int step = 0; step < 60; step++) {
            double mid = (low + high) / 2;
            if (total(raw, mid, cap) < interactions) {
                low = mid;
            } else {
                high = mid;
            }
        }
        double scale = high;

        Files.createDirectories(out);
        long trainPairs = 0;
        long testPairs = 0;
        try (BufferedWriter train =
                        Files.newBufferedWriter(out.resolve("train.tsv"), StandardCharsets.UTF_8);
                BufferedWriter test =
                        Files.newBufferedWriter(out.resolve("test.tsv"), StandardCharsets.UTF_8)) {
            int[] chosen = new int[cap];
            int[] seenAt = new int[items];
            Arrays.fill(seenAt, -1);
            for (int u = 0; u < customers; u++) {
                int activity =
                        (int) Math.min(cap, Math.max(MIN_ACTIVITY, Math.round(raw[u] * scale)));
                int main = random.nextInt(THEMES);
                int second = random.nextInt(THEMES);
                int n = 0;
                for (int tries = 0; n < activity && tries < activity * 20; tries++) {
                    double draw = random.nextDouble();
                    Sampler from =
                            draw < 0.5 ? byTheme[main] : draw < 0.7 ? byTheme[second] : global;
                    int item = from.next(random);
                    if (seenAt[item] != u) {
                        seenAt[item] = u;
                        chosen[n++] = item;
                    }
                }
                boolean split = n >= MIN_ACTIVITY;
                for (int j = 0; j < n; j++) {
                    int count = 1;
                    while (random.nextDouble() < 0.2) {
                        count++;
                    }
                    boolean held = split && random.nextDouble() < 0.2;
                    (held ? test : train).write(u + "\t" + chosen[j] + "\t" + count + "\n");
                    if (held) {
                        testPairs++;
                    } else {
                        trainPairs++;
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "synthetic (seed %d): %d customers, %d products, %d training pairs, %d test pairs"
                        + " in %s%n",
                seed,
                customers,
                items,
                trainPairs,
                testPairs,
                out);
    }

    private static double total(double[] raw, double scale, int cap) {
        double total = 0;
        for (double r : raw) {
            total += Math.min(cap, Math.max(MIN_ACTIVITY, Math.round(r * scale)));
        }
        return total;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Draws products with probability proportional to popularity, among those admitted. */
    private static final class Sampler {
        private final int[] items;
        private final double[] cumulative;

        Sampler(double[] popularity, java.util.function.IntPredicate admitted) {
            int count = 0;
            for (int i = 0; i < popularity.length; i++) {
                if (admitted.test(i)) {
                    count++;
                }
            }
            items = new int[count];
            cumulative = new double[count];
            double total = 0;
            int at = 0;
            for (int i = 0; i < popularity.length; i++) {
                if (admitted.test(i)) {
                    total += popularity[i];
                    items[at] = i;
                    cumulative[at] = total;
                    at++;
                }
            }
        }

        int next(SplittableRandom random) {
            double target = random.nextDouble() * cumulative[cumulative.length - 1];
            int at = Arrays.binarySearch(cumulative, target);
            return items[at >= 0 ? at : Math.min(-at - 1, items.length - 1)];
        }
    }
}
