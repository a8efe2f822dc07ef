package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recommender's training holds purchase lines in columns ({@link PurchaseLines}, {@link
 * OrderBaskets}) and must train exactly what it trained on lists of {@link Purchase}: the digests
 * below were taken from the code before the change (lists, a map of sets per order, a deque per
 * pair in {@link RefundNetting}) on this seeded shop of multi-line orders, re-buys, refunds, views,
 * products outside the catalog and lines after the model's present.
 */
class CompactTrainingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void theSeededShopTrainsTheModelTheListsTrained() throws Exception {
        Shop shop = Shop.seeded();
        List<Purchase> kept = shop.netted();
        Instant newest = kept.stream().map(Purchase::at).max(Instant::compareTo).orElseThrow();
        ModelPriors priors = ModelPriors.measure(kept, shop.catalog, newest);
        RecommendationModel model =
                RecommendationModel.train(kept, shop.views, shop.catalog, NOW, priors);

        // One line, so that a mismatch shows every figure.
        assertThat(
                        kept.size()
                                + " lines kept "
                                + digest(kept.toString().getBytes(StandardCharsets.UTF_8))
                                + ", priors "
                                + digest(inOrder(priors).getBytes(StandardCharsets.UTF_8))
                                + ", model "
                                + digest(model.toBytes()))
                .isEqualTo(GOLDEN);
    }

    @Test
    void aListOfLinesReadsBackTheLinesItWasGiven() {
        List<Purchase> lines = Shop.seeded().bought;

        PurchaseLines compact = PurchaseLines.of(lines);

        assertThat(compact).isEqualTo(lines);
        assertThat(compact.filter(line -> line.quantity() > 1))
                .isEqualTo(lines.stream().filter(line -> line.quantity() > 1).toList());
    }

    /**
     * The priors' digest, over their categories in name order (a record's map prints in no fixed
     * order); the old code measured the same categories and figures.
     */
    private static final String PRIORS =
            "c7f5c9e4aab72a903563838d5155c40940c63670ae470301128bef9f5eace8c5";

    private static final String GOLDEN =
            "2114 lines kept"
                    + " 89fb0ff7a17ae037a372a31354dc627d1547bad69351774cb574bd1fbb6e5aa1,"
                    + " priors "
                    + PRIORS
                    + ","
                    + " model 30e13bd3a3a4c49c4c96352144832e645f301b9934ec346626da937c118898be";

    private static String inOrder(ModelPriors priors) {
        return new java.util.TreeMap<>(priors.categories()) + " " + priors.shop();
    }

    /** A seeded shop's lines, refunds (in time order with the lines), views and catalog. */
    private static final class Shop {
        final Map<String, ProductInfo> catalog = new HashMap<>();
        final List<Purchase> bought = new ArrayList<>();
        final List<Object> steps = new ArrayList<>();
        final List<View> views = new ArrayList<>();

        record Refund(String customerId, String productId, int quantity) {}

        static Shop seeded() {
            Shop shop = new Shop();
            Random random = new Random(20261207);
            String[] categories = {"Tea", "Home", null, "Dates"};
            for (int p = 0; p < 60; p++) {
                String id = "p" + p;
                if (p % 13 != 7) { // a few bought products the catalog no longer has
                    shop.catalog.put(
                            id,
                            new ProductInfo(id, "Product " + p, categories[p % 4], p % 17 != 3));
                }
            }
            Instant at = NOW.minus(Duration.ofDays(400));
            for (int order = 0; order < 900; order++) {
                at = at.plusSeconds(30_000 + random.nextInt(20_000));
                String customer = "c" + random.nextInt(120);
                int lines = 1 + random.nextInt(4);
                for (int line = 0; line < lines; line++) {
                    // popular products more often, and customers' favourites again
                    int product =
                            random.nextInt(3) == 0
                                    ? customer.hashCode() % 7 + 7
                                    : (int) Math.floor(Math.exp(random.nextDouble() * 4.1)) - 1;
                    Purchase purchase =
                            new Purchase(
                                    customer,
                                    "p" + product,
                                    "o" + order,
                                    1 + random.nextInt(3),
                                    at.plusNanos(random.nextInt(3) * 1_000_000L));
                    shop.bought.add(purchase);
                    shop.steps.add(purchase);
                    if (random.nextInt(25) == 0) {
                        shop.steps.add(new Refund(customer, "p" + product, 1 + random.nextInt(4)));
                    }
                }
                if (random.nextInt(3) == 0) {
                    shop.views.add(
                            new View(customer, "p" + random.nextInt(60), at.minusSeconds(600)));
                }
            }
            return shop;
        }

        List<Purchase> netted() {
            RefundNetting netting = new RefundNetting();
            for (Object step : steps) {
                if (step instanceof Purchase purchase) {
                    netting.bought(purchase);
                } else {
                    Refund refund = (Refund) step;
                    netting.refunded(refund.customerId(), refund.productId(), refund.quantity());
                }
            }
            return netting.kept();
        }
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
