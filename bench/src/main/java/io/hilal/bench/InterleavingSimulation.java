package io.hilal.bench;

import io.hilal.core.experiments.Experiment;
import io.hilal.core.experiments.ExperimentAnalysis;
import io.hilal.core.experiments.ExperimentReport;
import io.hilal.core.experiments.ImpressionDao;
import io.hilal.core.experiments.TeamDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench/run InterleavingSimulation <seed> [replicates]}: how many customers a model
 * experiment needs to see that ranker B is better, by A/B split and by team-draft interleaving,
 * with the statistics Hilal reports (the always-valid confidence sequence of {@link
 * ExperimentAnalysis}, tuned to the experiment's size) and the interleaving of {@link TeamDraft}.
 *
 * <p>The click model is known: a catalog of 500 products, each customer with 20 relevant ones; a
 * ranker of quality q fills each of its 10 slots with one of the customer's relevant products with
 * probability q (else an irrelevant one), A with q = 0.30 and B with 0.30 + effect; a customer sees
 * two lists (impressions), examines position k with probability k^-0.7, and clicks an examined
 * product with probability 0.30 if relevant and 0.02 if not. A split detects B when the interval of
 * B − A in customer click-through lies above 0; interleaving when the interval of the customers'
 * preference does. For each effect, the customers needed for 80% power are found by doubling then
 * bisection, each point from {@code replicates} simulated experiments (200 by default); the
 * interleaving's false-claim rate with no effect is checked at its own size.
 */
public final class InterleavingSimulation {
    static final int PRODUCTS = 500;
    static final int RELEVANT = 20;
    static final int LENGTH = 10;
    static final int IMPRESSIONS = 2;
    static final double QUALITY_A = 0.30;
    static final double POWER = 0.80;

    private final SplittableRandom random;
    private final int replicates;

    InterleavingSimulation(long seed, int replicates) {
        this.random = new SplittableRandom(seed);
        this.replicates = replicates;
    }

    public static void main(String[] args) {
        ExitOnFailure.install();
        if (args.length < 1) {
            System.err.println("usage: bench/run InterleavingSimulation <seed> [replicates]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int replicates = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        InterleavingSimulation simulation = new InterleavingSimulation(seed, replicates);
        long started = System.nanoTime();
        System.out.printf(
                "seed %d, %d experiments per point, 80%% power, always-valid 95%% intervals%n",
                seed, replicates);
        System.out.println(
                "effect (B - A quality) | A/B customers | interleaving customers"
                        + " | ratio interleaving/AB | interleaving A/A false claims");
        for (double effect : new double[] {0.15, 0.10, 0.05}) {
            int split = simulation.customersFor(false, effect);
            int interleaved = simulation.customersFor(true, effect);
            double falseClaims = simulation.power(true, 0, interleaved);
            System.out.printf(
                    "%.2f | %d | %d | %.3f | %.3f%n",
                    effect, split, interleaved, (double) interleaved / split, falseClaims);
        }
        System.out.printf("Ran in %.1f minutes%n", (System.nanoTime() - started) / 6e10);
    }

    /** The fewest customers (to about 5%) at which the method detects the effect 80% of times. */
    int customersFor(boolean interleave, double effect) {
        int low = 50;
        int high = 100;
        while (power(interleave, effect, high) < POWER) {
            low = high;
            high *= 2;
            if (high > 2_000_000) {
                throw new IllegalStateException("no power within 2,000,000 customers");
            }
        }
        while (high - low > Math.max(10, low / 20)) {
            int middle = (low + high) / 2;
            if (power(interleave, effect, middle) >= POWER) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }

    /** The share of simulated experiments of {@code customers} that find B better. */
    double power(boolean interleave, double effect, int customers) {
        Experiment experiment =
                new Experiment(
                        "sim",
                        "simulation",
                        interleave ? Experiment.INTERLEAVE : Experiment.SPLIT,
                        new Experiment.Arm("als", 1),
                        new Experiment.Arm("als", 2),
                        customers,
                        Experiment.RUNNING,
                        Instant.EPOCH,
                        null);
        int detected = 0;
        for (int replicate = 0; replicate < replicates; replicate++) {
            List<ImpressionDao.CustomerCounts> counts = new ArrayList<>(customers);
            for (int customer = 0; customer < customers; customer++) {
                counts.add(
                        interleave
                                ? interleavedCustomer(customer, effect)
                                : splitCustomer(customer, effect));
            }
            ExperimentReport report = ExperimentAnalysis.analyse(experiment, counts);
            ExperimentReport.Comparison result =
                    interleave ? report.preference() : report.clickThrough();
            if (result != null && result.low() > 0) {
                detected++;
            }
        }
        return (double) detected / replicates;
    }

    private ImpressionDao.CustomerCounts splitCustomer(int customer, double effect) {
        boolean b = customer % 2 == 1;
        Set<Integer> relevant = relevant();
        long clicks = 0;
        for (int impression = 0; impression < IMPRESSIONS; impression++) {
            List<Integer> list = ranking(relevant, QUALITY_A + (b ? effect : 0));
            for (int position = 0; position < list.size(); position++) {
                clicks += clicked(relevant, list.get(position), position) ? 1 : 0;
            }
        }
        return new ImpressionDao.CustomerCounts(
                b ? "B" : "A", "c" + customer, IMPRESSIONS, clicks, 0, 0, 0);
    }

    private ImpressionDao.CustomerCounts interleavedCustomer(int customer, double effect) {
        Set<Integer> relevant = relevant();
        long clicksA = 0;
        long clicksB = 0;
        for (int impression = 0; impression < IMPRESSIONS; impression++) {
            List<String> a = ids(ranking(relevant, QUALITY_A));
            List<String> b = ids(ranking(relevant, QUALITY_A + effect));
            List<TeamDraft.Pick> picks = TeamDraft.interleave(a, b, LENGTH, random.nextLong());
            for (int position = 0; position < picks.size(); position++) {
                TeamDraft.Pick pick = picks.get(position);
                if (clicked(relevant, Integer.parseInt(pick.productId()), position)) {
                    if (pick.team() == 'A') {
                        clicksA++;
                    } else {
                        clicksB++;
                    }
                }
            }
        }
        return new ImpressionDao.CustomerCounts(
                "I", "c" + customer, IMPRESSIONS, clicksA + clicksB, 0, clicksA, clicksB);
    }

    private Set<Integer> relevant() {
        Set<Integer> relevant = new HashSet<>();
        while (relevant.size() < RELEVANT) {
            relevant.add(random.nextInt(PRODUCTS));
        }
        return relevant;
    }

    /** A ranker of quality q: each slot relevant with probability q, no product twice. */
    private List<Integer> ranking(Set<Integer> relevant, double quality) {
        List<Integer> list = new ArrayList<>(LENGTH);
        Set<Integer> used = new HashSet<>();
        List<Integer> relevantLeft = new ArrayList<>(relevant);
        while (list.size() < LENGTH) {
            int product;
            if (!relevantLeft.isEmpty() && random.nextDouble() < quality) {
                product = relevantLeft.remove(random.nextInt(relevantLeft.size()));
            } else {
                do {
                    product = random.nextInt(PRODUCTS);
                } while (relevant.contains(product) || used.contains(product));
            }
            used.add(product);
            list.add(product);
        }
        return list;
    }

    private boolean clicked(Set<Integer> relevant, int product, int position) {
        boolean examined = random.nextDouble() < Math.pow(position + 1, -0.7);
        return examined && random.nextDouble() < (relevant.contains(product) ? 0.30 : 0.02);
    }

    private static List<String> ids(List<Integer> products) {
        return products.stream().map(String::valueOf).toList();
    }
}
