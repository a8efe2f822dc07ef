package io.hilal.core.lift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Online Retail purchases day by day after a pretend send on 2011-09-01, for simulations with a
 * look every day: the population, the row filter and the counting are those of {@link
 * OnlineRetailOutcomes} and {@link CustomerTally} (an order counts from the day of its first
 * purchased line, revenue nets refunds, the 180-day pre-period gives the CUPED covariates), so the
 * outcomes on day k equal a {@link CustomerTally} over {@code [send, send + k days)}.
 */
public final class OnlineRetailDays {
    public static final Instant SEND = OnlineRetailOutcomes.SEND;
    public static final int MAX_DAYS = 90;

    private final int[][] orderDays;
    private final int[][] revenueDays;
    private final double[][] revenueAmounts;
    private final double[] preOrders;
    private final double[] preRevenue;

    private OnlineRetailDays(
            int[][] orderDays,
            int[][] revenueDays,
            double[][] revenueAmounts,
            double[] preOrders,
            double[] preRevenue) {
        this.orderDays = orderDays;
        this.revenueDays = revenueDays;
        this.revenueAmounts = revenueAmounts;
        this.preOrders = preOrders;
        this.preRevenue = preRevenue;
    }

    public int customers() {
        return preOrders.length;
    }

    /** Each customer's outcomes over the first {@code days} days after the send. */
    public LiftAnalysis.Outcomes outcomes(int days) {
        int n = customers();
        double[] orders = new double[n];
        double[] revenue = new double[n];
        for (int i = 0; i < n; i++) {
            for (int day : orderDays[i]) {
                orders[i] += day < days ? 1 : 0;
            }
            for (int j = 0; j < revenueDays[i].length; j++) {
                if (revenueDays[i][j] < days) {
                    revenue[i] += revenueAmounts[i][j];
                }
            }
        }
        return new LiftAnalysis.Outcomes(orders, revenue, preOrders.clone(), preRevenue.clone());
    }

    private record Line(String invoice, long quantity, double price, Instant at) {}

    /** Reads the gzipped CSV of the UCI Online Retail data set. */
    public static OnlineRetailDays load(Path file) {
        Map<String, List<Line>> byCustomer = new TreeMap<>();
        java.util.Set<String> population = new java.util.HashSet<>();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(file)),
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
                long quantity = Long.parseLong(row.get("Quantity"));
                double price = Double.parseDouble(row.get("UnitPrice"));
                boolean refund = invoice.startsWith("C");
                if (customer.isEmpty()
                        || invoice.startsWith("A")
                        || price < 0
                        || quantity == 0
                        || (!refund && quantity < 0)) {
                    continue;
                }
                Instant at =
                        LocalDateTime.parse(row.get("InvoiceDate"), format)
                                .toInstant(ZoneOffset.UTC);
                byCustomer
                        .computeIfAbsent(customer, c -> new ArrayList<>())
                        .add(new Line(invoice, quantity, price, at));
                if (!refund && at.isBefore(SEND)) {
                    population.add(customer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant preStart = SEND.minus(Duration.ofDays(OnlineRetailOutcomes.PRE_DAYS));
        Instant end = SEND.plus(Duration.ofDays(MAX_DAYS));
        List<int[]> orderDays = new ArrayList<>();
        List<int[]> revenueDays = new ArrayList<>();
        List<double[]> revenueAmounts = new ArrayList<>();
        List<Double> preOrders = new ArrayList<>();
        List<Double> preRevenue = new ArrayList<>();
        for (Map.Entry<String, List<Line>> entry : byCustomer.entrySet()) {
            if (!population.contains(entry.getKey())) {
                continue;
            }
            CustomerTally pre = new CustomerTally(preStart, SEND, SEND);
            Map<String, Integer> firstDay = new HashMap<>();
            TreeMap<Integer, Double> daily = new TreeMap<>();
            for (Line line : entry.getValue()) {
                pre.add(line.invoice(), line.quantity(), line.price(), line.at());
                if (line.at().isBefore(SEND) || !line.at().isBefore(end)) {
                    continue;
                }
                int day = (int) Duration.between(SEND, line.at()).toDays();
                daily.merge(day, line.quantity() * line.price(), Double::sum);
                if (line.quantity() > 0) {
                    firstDay.merge(line.invoice(), day, Math::min);
                }
            }
            orderDays.add(firstDay.values().stream().mapToInt(Integer::intValue).toArray());
            revenueDays.add(daily.keySet().stream().mapToInt(Integer::intValue).toArray());
            revenueAmounts.add(daily.values().stream().mapToDouble(Double::doubleValue).toArray());
            preOrders.add((double) pre.preOrders());
            preRevenue.add(pre.preRevenue());
        }
        return new OnlineRetailDays(
                orderDays.toArray(new int[0][]),
                revenueDays.toArray(new int[0][]),
                revenueAmounts.toArray(new double[0][]),
                preOrders.stream().mapToDouble(Double::doubleValue).toArray(),
                preRevenue.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
