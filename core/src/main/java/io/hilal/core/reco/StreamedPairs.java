package io.hilal.core.reco;

import io.hilal.core.reco.als.PairFile;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.reco.eval.ValidationSplit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's (customer, product, weight) pairs written to an external trainer's input files as the
 * database streams its purchase lines, customer by customer: one file of every pair (the model
 * served) and one of the validation split's fitting pairs (the model validated), so the worker's
 * heap holds one customer's lines at a time, never the tenant's. Per customer it does what the
 * in-JVM path does to all the purchases at once: refunds netted ({@link RefundNetting}), a pair's
 * weight its count of lines ({@code AlsTuning.interactions}), the newest fifth held out ({@link
 * ValidationSplit#customer}). Only a hash sample of customers is kept for scoring ({@link
 * GridSample#MAX_VALIDATION_CUSTOMERS} or so), as the in-JVM grid scores a sample; and, when asked,
 * every purchase of a larger hash sample of customers, for ALS's validation grid to run on in the
 * worker ({@link GridPurchases}).
 *
 * @param all every pair, the final fit's input
 * @param fit the pairs of the validation split's fitting part
 * @param owned the sampled validation customers' products in {@code fit}
 * @param held the sampled customers' new products held out, only products some fitting line has
 * @param fitLines each product's count of fitting lines (popularity's ranking on the split)
 * @param customers customers with any purchase kept
 * @param byTime whether the newest purchases were held out (else a random share: one time for all)
 * @param sample which customers are scored, and why
 * @param newest the newest purchase kept (the model's present, as {@code TrainingData#newest})
 * @param grid the grid's sample and its customers' purchases, when one was asked for
 */
public record StreamedPairs(
        PairFile all,
        PairFile fit,
        Map<String, Set<String>> owned,
        Map<String, Set<String>> held,
        Map<String, Integer> fitLines,
        long customers,
        boolean byTime,
        GridSample sample,
        Instant newest,
        Optional<GridPurchases> grid) {

    /**
     * The purchases (refunds netted) of the customers a grid's {@link #sample} includes, each with
     * all of theirs, as {@code AlsTuning.chooseOnSample} takes them: handed over once ({@link
     * #take}), so the heap can let go of them before the engine's factors come back.
     */
    public static final class GridPurchases {
        private final GridSample sample;
        private List<Purchase> purchases;

        GridPurchases(GridSample sample, List<Purchase> purchases) {
            this.sample = sample;
            this.purchases = purchases;
        }

        public GridSample sample() {
            return sample;
        }

        /** The purchases, once; this holder keeps none of them after. */
        public List<Purchase> take() {
            if (purchases == null) {
                throw new IllegalStateException("the grid's purchases were taken already");
            }
            List<Purchase> taken = purchases;
            purchases = null;
            return taken;
        }
    }

    /**
     * Streams {@code tenantId}'s purchases into {@code all.bin} and {@code fit.bin} in {@code dir};
     * {@code counts} (the database's, before netting) decides the sample's share and whether the
     * split goes by time; the purchases of {@code grid}'s customers are kept in the heap.
     */
    public static StreamedPairs write(
            InteractionDao dao,
            String tenantId,
            InteractionDao.PurchaseCounts counts,
            Path dir,
            Optional<GridSample> grid) {
        double share =
                Math.min(
                        1.0,
                        (double) GridSample.MAX_VALIDATION_CUSTOMERS
                                / Math.max(1, counts.customers()));
        GridSample sample =
                share >= 1
                        ? GridSample.whole(
                                String.format(
                                        Locale.ROOT,
                                        "validated on all %,d customers",
                                        counts.customers()))
                        : new GridSample(
                                share,
                                String.format(
                                        Locale.ROOT,
                                        "validated on a %.2f%% hash sample of the %,d customers"
                                                + " (about %,d), as the in-JVM grid scores at most"
                                                + " %,d",
                                        share * 100,
                                        counts.customers(),
                                        GridSample.MAX_VALIDATION_CUSTOMERS,
                                        GridSample.MAX_VALIDATION_CUSTOMERS));
        try (PairFile.Writer allPairs = new PairFile.Writer(dir.resolve("all.bin"));
                PairFile.Writer fitPairs = new PairFile.Writer(dir.resolve("fit.bin"))) {
            Customers customers =
                    new Customers(allPairs, fitPairs, sample, !counts.oneTime(), grid);
            dao.streamPurchasesByCustomer(tenantId, customers::line);
            customers.flush();
            Map<String, Integer> fitLines = customers.fitLines;
            // Only products some fitting purchase has can be found (ValidationSplit.known).
            customers.held.values().forEach(items -> items.retainAll(fitLines.keySet()));
            customers.held.values().removeIf(Set::isEmpty);
            return new StreamedPairs(
                    customers.all.finish(),
                    customers.fit.finish(),
                    customers.owned,
                    customers.held,
                    fitLines,
                    customers.count,
                    !counts.oneTime(),
                    sample,
                    customers.newest,
                    grid.map(value -> new GridPurchases(value, customers.gridPurchases)));
        }
    }

    /** The lines of the customer being read, and what the customers before them came to. */
    private static final class Customers {
        final PairFile.Writer all;
        final PairFile.Writer fit;
        final GridSample sample;
        final boolean byTime;
        final Optional<GridSample> grid;
        final List<Purchase> gridPurchases = new ArrayList<>();
        final Map<String, Set<String>> owned = new HashMap<>();
        final Map<String, Set<String>> held = new LinkedHashMap<>();
        final Map<String, Integer> fitLines = new HashMap<>();
        long count;
        Instant newest = Instant.EPOCH;
        String customerId;
        RefundNetting lines = new RefundNetting();

        Customers(
                PairFile.Writer all,
                PairFile.Writer fit,
                GridSample sample,
                boolean byTime,
                Optional<GridSample> grid) {
            this.all = all;
            this.fit = fit;
            this.sample = sample;
            this.byTime = byTime;
            this.grid = grid;
        }

        void line(InteractionDao.Interaction line) {
            if (!line.customerId().equals(customerId)) {
                flush();
                customerId = line.customerId();
            }
            if (line.quantity() < 0) {
                lines.refunded(line.customerId(), line.productId(), -line.quantity());
            } else {
                lines.bought(
                        new Purchase(
                                line.customerId(),
                                line.productId(),
                                line.orderId(),
                                line.quantity(),
                                line.occurredAt()));
            }
        }

        /** Writes the customer read so far. */
        void flush() {
            List<Purchase> kept = lines.kept();
            lines = new RefundNetting();
            if (kept.isEmpty()) {
                return;
            }
            count++;
            for (Purchase purchase : kept) {
                if (purchase.at().isAfter(newest)) {
                    newest = purchase.at();
                }
            }
            write(all, customerId, kept);
            if (grid.isPresent() && grid.get().includes(customerId)) {
                gridPurchases.addAll(kept);
            }
            ValidationSplit.CustomerPart part = ValidationSplit.customer(customerId, kept, byTime);
            write(fit, customerId, part.fit());
            part.fit().forEach(purchase -> fitLines.merge(purchase.productId(), 1, Integer::sum));
            if (part.validated() && sample.includes(customerId)) {
                owned.put(customerId, part.owned());
                if (!part.held().isEmpty()) {
                    held.put(customerId, new HashSet<>(part.held()));
                }
            }
        }

        /** A customer's pairs, each weighing its count of lines. */
        private static void write(PairFile.Writer file, String customerId, List<Purchase> lines) {
            if (lines.isEmpty()) {
                return;
            }
            Map<String, Integer> weights = new LinkedHashMap<>();
            lines.forEach(purchase -> weights.merge(purchase.productId(), 1, Integer::sum));
            file.customer(customerId);
            weights.forEach((productId, weight) -> file.add(productId, weight));
        }
    }
}
