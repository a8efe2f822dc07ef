package io.hilal.core.reco.eval;

import io.hilal.core.reco.Purchase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Readers for the evaluation data, read at run time and never copied into the repository. */
public final class Datasets {
    /** Real products have a five-digit stock code; postage, fees and adjustments do not. */
    private static final Pattern PRODUCT = Pattern.compile("\\d{5}.*|DCGS.*");

    public static final Instant ONLINE_RETAIL_SPLIT = Instant.parse("2011-09-01T00:00:00Z");

    private Datasets() {}

    /** Train and test purchases, split by time or by file. */
    public record Split(List<Purchase> train, List<Purchase> test) {}

    /** UCI Online Retail per MEASURE.md: invoices before 2011-09-01 train, the rest test. */
    public static Split onlineRetail(Path csvGz) throws IOException {
        List<Purchase> train = new ArrayList<>();
        List<Purchase> test = new ArrayList<>();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        ZoneId london = ZoneId.of("Europe/London");
        try (BufferedReader reader = reader(csvGz)) {
            for (CSVRecord row :
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(reader)) {
                String customer = row.get("CustomerID").strip();
                String invoice = row.get("InvoiceNo");
                String code = row.get("StockCode").strip();
                if (customer.isEmpty()
                        || invoice.startsWith("C")
                        || !PRODUCT.matcher(code).matches()
                        || Integer.parseInt(row.get("Quantity")) <= 0) {
                    continue;
                }
                Instant at =
                        LocalDateTime.parse(row.get("InvoiceDate"), format)
                                .atZone(london)
                                .toInstant();
                Purchase purchase = new Purchase(customer.replace(".0", ""), code, invoice, 1, at);
                (at.isBefore(ONLINE_RETAIL_SPLIT) ? train : test).add(purchase);
            }
        }
        return new Split(train, test);
    }

    /**
     * Online Retail has no categories; the nearest thing in it is a stock code's family: its five
     * digits without the variant letter (84997A to 84997D are one children's cutlery set in four
     * colours). Null for codes that are not five digits.
     */
    public static String onlineRetailFamily(String stockCode) {
        return stockCode.length() >= 5
                        && stockCode.substring(0, 5).chars().allMatch(Character::isDigit)
                ? stockCode.substring(0, 5)
                : null;
    }

    /**
     * {@code user<TAB>item[<TAB>timestamp-or-weight]} lines (MovieLens' u.data has a rating, then a
     * timestamp). A large third or fourth column is read as epoch seconds, else lines keep order.
     */
    public static List<Purchase> pairs(Path file) throws IOException {
        List<Purchase> purchases = new ArrayList<>();
        try (BufferedReader reader = reader(file)) {
            String line;
            long index = 0;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split("\t");
                if (parts.length < 2) {
                    continue;
                }
                long seconds = index++;
                for (int i = parts.length - 1; i >= 2; i--) {
                    try {
                        long value = Long.parseLong(parts[i].strip());
                        if (value > 100_000_000L) {
                            seconds = value;
                            break;
                        }
                    } catch (NumberFormatException ignored) {
                        // a weight, not a time
                    }
                }
                purchases.add(
                        new Purchase(
                                parts[0],
                                parts[1],
                                parts[0] + ":" + seconds,
                                1,
                                Instant.ofEpochSecond(seconds)));
            }
        }
        return purchases;
    }

    /**
     * A user's own {@code user<TAB>item[<TAB>weight-or-timestamp[<TAB>timestamp]]} file, as {@code
     * evaluate --train/--test} reads it. A third column that looks like epoch seconds is a time,
     * otherwise a weight: a pair of weight w counts as round(w) purchases, at least one. With
     * times, purchases of one customer in the same second form a basket (an order); without any,
     * each customer's items are one basket, all at one instant, so item-to-item still sees what
     * goes together and {@link ValidationSplit} splits each customer's items at random.
     */
    public static List<Purchase> userPairs(Path file) throws IOException {
        record Line(String user, String item, int weight, Long seconds) {}
        List<Line> lines = new ArrayList<>();
        boolean timed = false;
        try (BufferedReader reader = reader(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split("\t");
                if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    continue;
                }
                int weight = 1;
                Long seconds = null;
                for (int i = 2; i < Math.min(parts.length, 4); i++) {
                    double value;
                    try {
                        value = Double.parseDouble(parts[i].strip());
                    } catch (NumberFormatException notANumber) {
                        continue;
                    }
                    if (value > 100_000_000L && value == Math.rint(value)) {
                        seconds = (long) value;
                    } else if (i == 2 && value > 0 && Double.isFinite(value)) {
                        weight = (int) Math.max(1, Math.min(1_000, Math.round(value)));
                    }
                }
                timed |= seconds != null;
                lines.add(new Line(parts[0].strip(), parts[1].strip(), weight, seconds));
            }
        }
        List<Purchase> purchases = new ArrayList<>();
        for (Line line : lines) {
            long seconds = line.seconds() == null ? 0 : line.seconds();
            String order = timed ? line.user() + ":" + seconds : line.user();
            for (int copy = 0; copy < line.weight(); copy++) {
                purchases.add(
                        new Purchase(
                                line.user(),
                                line.item(),
                                order,
                                1,
                                Instant.ofEpochSecond(seconds)));
            }
        }
        return purchases;
    }

    /** MovieLens fold: train is u.data minus the fold's test pairs. */
    public static Split movieLensFold(Path dir, int fold) throws IOException {
        List<Purchase> all = pairs(dir.resolve("u.data.gz"));
        List<Purchase> test = pairs(dir.resolve("u" + fold + ".test.gz"));
        Set<String> held = new HashSet<>();
        test.forEach(p -> held.add(p.customerId() + "\t" + p.productId()));
        List<Purchase> train =
                all.stream()
                        .filter(p -> !held.contains(p.customerId() + "\t" + p.productId()))
                        .toList();
        return new Split(train, test);
    }

    /**
     * Each MovieLens movie's most specific genre (the one with the fewest movies, as a catalog's
     * category is its most specific), from {@code u.item.gz}'s nineteen genre flags; movies without
     * a flag are left out.
     */
    public static java.util.Map<String, String> movieLensGenres(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader reader = reader(dir.resolve("u.genre.gz"))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    names.add(line.substring(0, line.lastIndexOf('|')));
                }
            }
        }
        java.util.Map<String, List<Integer>> flags = new java.util.HashMap<>();
        int[] movies = new int[names.size()];
        // u.item is Latin-1; only its id and flags are read, which are ASCII either way.
        try (BufferedReader reader = reader(dir.resolve("u.item.gz"))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split("\\|", -1);
                if (parts.length < 5 + names.size()) {
                    continue;
                }
                List<Integer> genres = new ArrayList<>();
                for (int g = 0; g < names.size(); g++) {
                    if (parts[parts.length - names.size() + g].strip().equals("1")) {
                        genres.add(g);
                        movies[g]++;
                    }
                }
                flags.put(parts[0], genres);
            }
        }
        java.util.Map<String, String> genre = new java.util.HashMap<>();
        flags.forEach(
                (movie, genres) ->
                        genres.stream()
                                .min(
                                        java.util.Comparator.comparingInt((Integer g) -> movies[g])
                                                .thenComparing(g -> g))
                                .ifPresent(g -> genre.put(movie, names.get(g))));
        return genre;
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
