package io.hilal.core.reco.eval;

import io.hilal.core.campaigns.BestHours;
import io.hilal.core.demo.Countries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * How well {@link BestHours} predicts when a customer acts, on Online Retail: from each customer's
 * orders before the split (in the local hour of their country's time zone), predict the hour of
 * their first order on or after it; a prediction within one hour either way is a hit. Compared, in
 * the same run on the same customers, with the tenant's most common hour (one hour for everyone)
 * and with the customer's own most common hour (no shrinkage). Orders stand in for opens and
 * clicks, which the data set does not have.
 */
public final class SendHourEvaluation {
    /** One predictor's hit rate, overall and for customers with few (1-2) training orders. */
    public record Result(String predictor, double hitRate, double fewOrdersHitRate) {}

    /** The figures, how many customers were predicted, and the strengths the prior chose. */
    public record Evaluation(
            List<Result> results,
            int customers,
            int fewOrdersCustomers,
            double zoneStrength,
            double customerStrength) {}

    private record Order(String customerId, String zone, Instant at) {}

    private SendHourEvaluation() {}

    public static Evaluation onlineRetail(Path csvGz) throws IOException {
        return evaluate(orders(csvGz), Datasets.ONLINE_RETAIL_SPLIT);
    }

    static Evaluation evaluate(List<Order> orders, Instant split) {
        Map<String, BestHours.Activity> train = new LinkedHashMap<>();
        Map<String, Order> next = new HashMap<>();
        for (Order order : orders) {
            if (order.at().isBefore(split)) {
                BestHours.Activity activity =
                        train.computeIfAbsent(
                                order.customerId(),
                                id -> new BestHours.Activity(order.zone(), new int[24]));
                BestHours.add(activity.hours(), order.at(), ZoneId.of(order.zone()));
            } else {
                next.merge(order.customerId(), order, (a, b) -> a.at().isBefore(b.at()) ? a : b);
            }
        }
        BestHours model = BestHours.fit(train.values());
        double[] tenantCounts = new double[24];
        for (BestHours.Activity activity : train.values()) {
            for (int h = 0; h < 24; h++) {
                tenantCounts[h] += activity.hours()[h];
            }
        }
        int tenantMode = mode(tenantCounts);
        String[] names = {
            "tenant's most common hour (baseline)",
            "customer's own most common hour",
            "BestHours (shrunk to zone and tenant)"
        };
        int[] hits = new int[names.length];
        int[] fewHits = new int[names.length];
        int customers = 0;
        int few = 0;
        for (Map.Entry<String, BestHours.Activity> entry : train.entrySet()) {
            Order order = next.get(entry.getKey());
            if (order == null) {
                continue;
            }
            BestHours.Activity activity = entry.getValue();
            int actual = order.at().atZone(ZoneId.of(order.zone())).getHour();
            double[] own = new double[24];
            for (int h = 0; h < 24; h++) {
                own[h] = activity.hours()[h];
            }
            OptionalInt best = model.bestHour(activity, h -> true);
            int[] predicted = {tenantMode, mode(own), best.orElseThrow()};
            boolean isFew = activity.total() <= 2;
            customers++;
            few += isFew ? 1 : 0;
            for (int i = 0; i < names.length; i++) {
                if (within(predicted[i], actual, 1)) {
                    hits[i]++;
                    fewHits[i] += isFew ? 1 : 0;
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            results.add(
                    new Result(
                            names[i],
                            customers == 0 ? 0 : (double) hits[i] / customers,
                            few == 0 ? 0 : (double) fewHits[i] / few));
        }
        return new Evaluation(
                results, customers, few, model.zoneStrength(), model.customerStrength());
    }

    /** Whether two hours of the day are at most {@code hours} apart, across midnight too. */
    static boolean within(int a, int b, int hours) {
        int distance = Math.abs(a - b);
        return Math.min(distance, 24 - distance) <= hours;
    }

    private static int mode(double[] counts) {
        int best = 0;
        for (int h = 1; h < counts.length; h++) {
            if (counts[h] > counts[best]) {
                best = h;
            }
        }
        return best;
    }

    public static void print(Evaluation evaluation) {
        Result baseline = evaluation.results().get(0);
        System.out.printf(
                Locale.ROOT,
                "send hour: %d customers with an order before and after the split (%d with 1-2"
                        + " orders before); prior strengths: zone %.2f, customer %.2f"
                        + " pseudo-orders%n",
                evaluation.customers(),
                evaluation.fewOrdersCustomers(),
                evaluation.zoneStrength(),
                evaluation.customerStrength());
        System.out.println(
                "| predictor | hit rate ±1 h | ratio to baseline | hit rate, 1-2 orders | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (Result result : evaluation.results()) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.4f | %.3f | %.4f | %.3f |%n",
                    result.predictor(),
                    result.hitRate(),
                    result.hitRate() / baseline.hitRate(),
                    result.fewOrdersHitRate(),
                    result.fewOrdersHitRate() / baseline.fewOrdersHitRate());
        }
    }

    /** Online Retail's orders (one per invoice), filtered as {@link Datasets#onlineRetail}. */
    private static List<Order> orders(Path csvGz) throws IOException {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        ZoneId london = ZoneId.of("Europe/London");
        Map<String, Order> byInvoice = new LinkedHashMap<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16),
                                StandardCharsets.UTF_8))) {
            for (CSVRecord row :
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(reader)) {
                String customer = row.get("CustomerID").strip();
                String invoice = row.get("InvoiceNo");
                if (customer.isEmpty()
                        || invoice.startsWith("C")
                        || Integer.parseInt(row.get("Quantity")) <= 0
                        || byInvoice.containsKey(invoice)) {
                    continue;
                }
                // The shop's clock is London's; the customer's hour is in their country's zone.
                Instant at =
                        LocalDateTime.parse(row.get("InvoiceDate"), format)
                                .atZone(london)
                                .toInstant();
                byInvoice.put(
                        invoice,
                        new Order(
                                customer.replace(".0", ""),
                                Countries.timeZone(row.get("Country")),
                                at));
            }
        }
        return new ArrayList<>(byInvoice.values());
    }
}
