package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.CustomerSignals;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.tenant.TenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A shop whose customers fall into taste groups (each group buys from its own ten products), small
 * enough for a Spark test to train in seconds, with what the Spark tests check of its models.
 */
final class SparkShop {
    static final int GROUPS = 6;
    static final int PER_GROUP = 20;
    static final int PRODUCTS_PER_GROUP = 10;

    /** The driver's jars as `./mvnw package` leaves them in the reactor. */
    static Path jars() {
        Path jars = Path.of("..", "spark-trainer", "target", "lib").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jars.resolve(SparkAls.DRIVER_JAR))) {
            throw new IllegalStateException(
                    jars
                            + " has no "
                            + SparkAls.DRIVER_JAR
                            + ": build with -pl campaign-worker -am");
        }
        return jars;
    }

    /**
     * The driver's JVM for seconds-long fits: C1 only and the serial collector halve its CPU time
     * on a busy two-core machine (most of it is Spark's start-up).
     */
    static final java.util.List<String> QUICK_JVM =
            java.util.List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** A small setting that learns the groups in a few seconds. */
    static AlsParams params() {
        return AlsParams.defaults().withFactors(8).withIterations(8).withRegularization(3);
    }

    /** A tenant whose customers each bought {@code orders} of their group's products. */
    static String create(Jdbi jdbi, String name, int orders) throws Exception {
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        String tenant =
                new TenantService(jdbi, clock).createTenant(name, "UTC").tenant().tenantId();
        List<JsonNode> catalog = new ArrayList<>();
        for (int product = 0; product < GROUPS * PRODUCTS_PER_GROUP; product++) {
            catalog.add(
                    mapper.readTree(
                            "{\"id\": \"p"
                                    + product
                                    + "\", \"title\": \"Product "
                                    + product
                                    + "\", \"categories\": [\"Group "
                                    + product / PRODUCTS_PER_GROUP
                                    + "\"]}"));
        }
        new ProductService(jdbi, mapper, clock).upsertBatch(tenant, catalog);
        List<JsonNode> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        for (int customer = 0; customer < GROUPS * PER_GROUP; customer++) {
            for (int order = 0; order < orders; order++) {
                String id = "c" + customer + "-" + order;
                events.add(
                        mapper.readTree(
                                "{\"messageId\": \""
                                        + id
                                        + "\", \"type\": \"order_completed\", \"customerId\": \"c"
                                        + customer
                                        + "\", \"orderId\": \""
                                        + id
                                        + "\", \"timestamp\": \""
                                        + start.plus(order * 20L + customer % 7, ChronoUnit.DAYS)
                                        + "\", \"lines\": [{\"productId\": \""
                                        + product(customer, order)
                                        + "\", \"quantity\": 1, \"unitPrice\": 5,"
                                        + " \"currency\": \"SAR\"}]}"));
            }
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);
        return tenant;
    }

    static String product(int customer, int order) {
        int group = customer % GROUPS;
        return "p" + (group * PRODUCTS_PER_GROUP + (customer + order) % PRODUCTS_PER_GROUP);
    }

    static boolean sameGroup(int customer, String productId) {
        int product = Integer.parseInt(productId.substring(1));
        return product / PRODUCTS_PER_GROUP == customer % GROUPS;
    }

    /** The tenant's active ALS version. */
    static ModelVersion activeAls(ModelStore store, String tenant) {
        return store.active(tenant).stream()
                .filter(version -> version.kind().equals(TrainingService.ALS_KIND))
                .findFirst()
                .orElseThrow();
    }

    /** The rows the service would serve customer c0 from the tenant's active models. */
    static Rows rows(ModelStore store, String tenant) {
        ModelLoader.Loaded loaded = new ModelLoader(store).active(tenant).orElseThrow();
        // No category cap: every product of this shop is in one (unknown) category.
        return new RowsService(io.hilal.core.reco.CategoryCap.OFF)
                .rows(
                        loaded.model(),
                        loaded.als(),
                        loaded.itemToItem(),
                        "c0",
                        RowsService.Context.HOME,
                        CustomerSignals.NONE,
                        RowsFilter.NONE,
                        io.hilal.core.reco.RecentSales.NONE,
                        6,
                        5);
    }

    /**
     * Checks a model version Spark trained: stored as ALS with the engine and its reason in its
     * params, it beat popularity, and it serves c0 a "Picked for you" row of their group's
     * products.
     */
    static void assertServedFromSpark(ModelStore store, String tenant) throws Exception {
        ObjectMapper mapper = HilalJson.newMapper();
        ModelVersion als = activeAls(store, tenant);
        JsonNode params = mapper.readTree(als.params());
        JsonNode metrics = mapper.readTree(als.metrics());
        assertThat(params.get("engine").asText()).isEqualTo("spark");
        assertThat(params.get("engineReason").asText())
                .contains(
                        "spark: 720 interactions (distinct customer-product pairs) reach the threshold");
        assertThat(params.get("factors").asInt()).isEqualTo(8);
        assertThat(metrics.get("beatsPopularity").asBoolean()).isTrue();
        assertThat(metrics.get("validationRecall@20").asDouble())
                .isGreaterThan(metrics.get("popularityValidationRecall@20").asDouble());

        AlsModel model = new ModelLoader(store).active(tenant).orElseThrow().als();
        assertThat(model).as("served: it beat popularity").isNotNull();
        assertThat(model.userIds()).hasSize(GROUPS * PER_GROUP);
        assertThat(model.factors()).isEqualTo(8);
        Rows rows = rows(store, tenant);
        Rows.Row picked =
                rows.rows().stream()
                        .filter(row -> row.id().equals("picked-for-you"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no picked-for-you in " + rows));
        assertThat(picked.items()).as(rows.toString()).isNotEmpty();
        // c0 owns 6 of its group's 10 products: the other 4 lead the row.
        assertThat(picked.items().subList(0, PRODUCTS_PER_GROUP - 6))
                .extracting(ScoredItem::productId)
                .allMatch(productId -> sameGroup(0, productId), "from c0's taste group");
    }

    private SparkShop() {}
}
