package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.als.PairFile;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.reco.eval.ValidationSplit;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer's input streamed from the database customer by customer is what the in-JVM path
 * makes of the same purchases loaded whole: the same pairs and weights (refunds netted), the same
 * validation split, scored on every customer when there are few.
 */
class StreamedPairsIT {
    @TempDir Path dir;

    static Jdbi jdbi;
    static String tenant;
    static String otherTenant;
    static long boughtLines;

    @BeforeAll
    static void shop() {
        jdbi = TestDatabase.newJdbi();
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        tenant = tenants.createTenant("shop", "UTC").tenant().tenantId();
        otherTenant = tenants.createTenant("other", "UTC").tenant().tenantId();
        Random random = new Random(7);
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        jdbi.useHandle(
                handle -> {
                    PreparedBatch batch =
                            handle.prepareBatch(
                                    "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                            + " customer_id, order_id, product_id, quantity,"
                                            + " unit_price, currency, occurred_at) VALUES"
                                            + " (:tenant, :message, 1, :customer, :message,"
                                            + " :product, :quantity, 5, 'SAR', :at)");
                    int message = 0;
                    for (int customer = 0; customer < 300; customer++) {
                        int lines = 1 + random.nextInt(15);
                        for (int line = 0; line < lines; line++) {
                            String product = "p" + random.nextInt(40);
                            Instant at = start.plus(random.nextInt(200), ChronoUnit.DAYS);
                            int quantity = 1 + random.nextInt(3);
                            add(batch, tenant, message++, "c" + customer, product, quantity, at);
                            boughtLines++;
                            if (random.nextInt(8) == 0) { // part or all of it given back
                                add(
                                        batch,
                                        tenant,
                                        message++,
                                        "c" + customer,
                                        product,
                                        -(1 + random.nextInt(quantity)),
                                        at.plus(1, ChronoUnit.DAYS));
                            }
                        }
                    }
                    // Another tenant's purchases of the same customer ids never join in.
                    for (int customer = 0; customer < 50; customer++) {
                        add(batch, otherTenant, message++, "c" + customer, "q1", 1, start);
                    }
                    batch.execute();
                });
    }

    private static void add(
            PreparedBatch batch,
            String tenantId,
            int message,
            String customer,
            String product,
            int quantity,
            Instant at) {
        batch.bind("tenant", tenantId)
                .bind("message", "m" + message)
                .bind("customer", customer)
                .bind("product", product)
                .bind("quantity", quantity)
                .bind("at", at)
                .add();
    }

    @Test
    void writesThePairsAndTheSplitTheInJvmPathMakesOfThePurchasesLoadedWhole() throws Exception {
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        InteractionDao.PurchaseCounts counts = trainer.purchaseCounts(tenant);
        StreamedPairs streamed = trainer.streamPairs(tenant, counts, dir);

        List<Purchase> purchases = trainer.load(tenant).purchases();
        ValidationSplit split = ValidationSplit.of(purchases);
        assertThat(read(streamed.all())).isEqualTo(pairs(AlsTuning.interactions(purchases)));
        assertThat(read(streamed.fit())).isEqualTo(pairs(AlsTuning.interactions(split.fit())));
        assertThat(streamed.byTime()).isTrue();
        assertThat(streamed.sample().whole()).as("300 customers: all scored").isTrue();
        assertThat(streamed.held()).isEqualTo(split.held());
        assertThat(streamed.owned()).isEqualTo(split.owned());
        Map<String, Integer> fitLines = new HashMap<>();
        split.fit().forEach(purchase -> fitLines.merge(purchase.productId(), 1, Integer::sum));
        assertThat(streamed.fitLines()).isEqualTo(fitLines);
        assertThat(streamed.customers())
                .isEqualTo(purchases.stream().map(Purchase::customerId).distinct().count());
        assertThat(streamed.newest()).isEqualTo(trainer.load(tenant).newest());
        assertThat(counts.pairs())
                .as("the database's count, before refunds, is never below the netted one")
                .isGreaterThanOrEqualTo(streamed.all().size());
        assertThat(streamed.all().itemIds()).doesNotContain("q1");
        assertThat(counts.lines()).as("purchase lines, refunds left out").isEqualTo(boughtLines);
        assertThat(streamed.grid()).as("no grid asked for").isEmpty();
    }

    @Test
    void keepsEveryPurchaseOfTheGridsCustomersAsTheInJvmGridSamplesThem() {
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        GridSample half = new GridSample(0.5, "half of the customers");
        StreamedPairs streamed =
                trainer.streamPairs(tenant, trainer.purchaseCounts(tenant), dir, Optional.of(half));

        List<Purchase> sampled =
                trainer.load(tenant).purchases().stream()
                        .filter(purchase -> half.includes(purchase.customerId()))
                        .toList();
        assertThat(sampled.stream().map(Purchase::customerId).distinct().count())
                .as("about half of 300 customers")
                .isBetween(120L, 180L);
        StreamedPairs.GridPurchases grid = streamed.grid().orElseThrow();
        assertThat(grid.sample()).isEqualTo(half);
        assertThat(grid.take())
                .as("refunds netted, as loaded whole")
                .containsExactlyInAnyOrderElementsOf(sampled);
        assertThatThrownBy(grid::take)
                .as("handed over once, then let go of")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writesNothingButTheHeaderForATenantWithoutPurchases() throws Exception {
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        String empty =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("empty", "UTC")
                        .tenant()
                        .tenantId();
        StreamedPairs streamed = trainer.streamPairs(empty, trainer.purchaseCounts(empty), dir);
        assertThat(streamed.all().size()).isZero();
        assertThat(read(streamed.all())).isEmpty();
        assertThat(Files.size(streamed.all().file())).isEqualTo(16);
    }

    /** Each pair as "customer product weight", keyed by customer and product. */
    private static Map<String, Float> pairs(Interactions data) {
        Map<String, Float> pairs = new HashMap<>();
        data.forEachPair(
                (user, item, weight) ->
                        pairs.put(
                                data.userIds().get(user) + " " + data.itemIds().get(item), weight));
        return pairs;
    }

    /** A pair file read back as the driver reads it. */
    private static Map<String, Float> read(PairFile file) throws IOException {
        Map<String, Float> pairs = new HashMap<>();
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file.file())))) {
            assertThat(in.readInt()).isEqualTo(PairFile.MAGIC);
            assertThat(in.readInt()).isEqualTo(file.userIds().size());
            assertThat(in.readInt()).isEqualTo(file.itemIds().size());
            int size = in.readInt();
            assertThat(size).isEqualTo(file.size());
            for (int i = 0; i < size; i++) {
                String key =
                        file.userIds().get(in.readInt()) + " " + file.itemIds().get(in.readInt());
                assertThat(pairs.put(key, in.readFloat())).as("each pair once: " + key).isNull();
            }
            assertThat(in.read()).as("nothing after the pairs").isEqualTo(-1);
        }
        assertThat(Set.copyOf(file.userIds())).hasSameSizeAs(file.userIds());
        return pairs;
    }
}
