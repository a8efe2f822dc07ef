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
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Per-customer outcomes on the UCI Online Retail data, counted by {@link CustomerTally} exactly as
 * lift reports count them. The population is every customer with a purchase before 2011-09-01 (the
 * "planned send" of a pretend campaign); the window follows it, the 180-day pre-period precedes it.
 * Rows are kept as the demo importer keeps them (customer id present, no "A" invoices, no negative
 * prices or zero quantities, negative quantities only on "C" refund invoices). Read once per JVM.
 */
public final class OnlineRetailOutcomes {
    /**
     * The data set: {@code -Dhilal.onlineRetail=<file>}, else the copy bundled in {@code
     * demo-data/} (tests run from the module directory).
     */
    public static final Path DATA =
            Path.of(
                    System.getProperty(
                            "hilal.onlineRetail",
                            Path.of("..", "demo-data", "online-retail.csv.gz").toString()));

    public static final Instant SEND = LocalDateTime.of(2011, 9, 1, 0, 0).toInstant(ZoneOffset.UTC);
    public static final int PRE_DAYS = 180;

    private static Map<Integer, LiftAnalysis.Outcomes> cache;

    private OnlineRetailOutcomes() {}

    static boolean available() {
        return Files.exists(DATA);
    }

    /** Outcomes for each window length, customers in id order. */
    static synchronized LiftAnalysis.Outcomes window(int days) {
        if (cache == null) {
            cache = load(List.of(30, 90));
        }
        return cache.get(days);
    }

    private record Line(String customer, String invoice, long quantity, double price, Instant at) {}

    private static Map<Integer, LiftAnalysis.Outcomes> load(List<Integer> windows) {
        List<Line> lines = new ArrayList<>();
        TreeSet<String> population = new TreeSet<>();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(DATA)),
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
                // Refund lines are stored with a negative quantity, as ingest stores them.
                lines.add(new Line(customer, invoice, quantity, price, at));
                if (!refund && at.isBefore(SEND)) {
                    population.add(customer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, LiftAnalysis.Outcomes> outcomes = new HashMap<>();
        for (int days : windows) {
            Map<String, CustomerTally> tallies = new HashMap<>();
            List<CustomerTally> ordered = new ArrayList<>();
            for (String customer : population) {
                CustomerTally tally =
                        new CustomerTally(
                                SEND.minus(Duration.ofDays(PRE_DAYS)),
                                SEND,
                                SEND.plus(Duration.ofDays(days)));
                tallies.put(customer, tally);
                ordered.add(tally);
            }
            for (Line line : lines) {
                CustomerTally tally = tallies.get(line.customer());
                if (tally != null) {
                    tally.add(line.invoice(), line.quantity(), line.price(), line.at());
                }
            }
            outcomes.put(days, CustomerTally.outcomes(ordered));
        }
        return outcomes;
    }
}
