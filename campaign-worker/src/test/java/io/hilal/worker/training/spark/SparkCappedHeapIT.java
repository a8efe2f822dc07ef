package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer's path in a worker JVM whose heap cannot hold the tenant's purchases: 288,000
 * purchase lines (168,000 customer-product pairs) against a 40 MiB heap. Loading them whole, as the
 * worker did before handing a tenant to Spark, runs out of memory in that heap; the path as it is,
 * streaming the pairs from the database into the driver's input, trains the tenant on Spark {@code
 * local[2]}, and the version it stores serves each customer their own taste group's products.
 */
class SparkCappedHeapIT {
    static final String HEAP = "-Xmx40m";
    static final int CUSTOMERS = 12_000;
    static final int GROUPS = 6;
    static final int PRODUCTS_PER_GROUP = 20;

    /**
     * Each customer buys 10 of their group's 20 products twice, then 4 more once: 24 lines, 14
     * products; the newest fifth of their lines, held out for validation, are the 4 new ones.
     */
    static final int OWNED = 14;

    static final int LINES = 24;

    @TempDir static Path work;

    static String url;
    static Jdbi jdbi;
    static String tenant;

    @BeforeAll
    static void largeTenant() {
        url = TestDatabase.newSchema();
        jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("large", "UTC")
                        .tenant()
                        .tenantId();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        jdbi.useTransaction(
                handle -> {
                    PreparedBatch batch =
                            handle.prepareBatch(
                                    "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                            + " customer_id, order_id, product_id, quantity,"
                                            + " unit_price, currency, occurred_at) VALUES"
                                            + " (:tenant, :message, 1, :customer, :message,"
                                            + " :product, 1, 5, 'SAR', :at)");
                    for (int customer = 0; customer < CUSTOMERS; customer++) {
                        for (int line = 0; line < LINES; line++) {
                            String message = "c" + customer + "-" + line;
                            batch.bind("tenant", tenant)
                                    .bind("message", message)
                                    .bind("customer", "c" + customer)
                                    .bind("product", product(customer, nth(line)))
                                    .bind(
                                            "at",
                                            start.plus(line * 3L + customer % 5, ChronoUnit.DAYS))
                                    .add();
                            if (batch.size() == 10_000) {
                                batch.execute();
                            }
                        }
                    }
                    batch.execute();
                });
    }

    /** Which of the customer's products their {@code line}-th line is. */
    static int nth(int line) {
        return line < 20 ? line % 10 : line - 10;
    }

    static String product(int customer, int nth) {
        int group = customer % GROUPS;
        return "p" + (group * PRODUCTS_PER_GROUP + (customer + nth) % PRODUCTS_PER_GROUP);
    }

    static boolean sameGroup(int customer, String productId) {
        return Integer.parseInt(productId.substring(1)) / PRODUCTS_PER_GROUP == customer % GROUPS;
    }

    @Test
    void trainsOnSparkInAHeapTooSmallForThePurchasesAndServesTheModel() throws Exception {
        Run load = run("load");
        assertThat(load.exit()).as(load.log()).isNotZero();
        assertThat(load.log())
                .as("the purchases loaded whole do not fit in " + HEAP)
                .contains("OutOfMemoryError");

        Run spark = run("spark");
        assertThat(spark.exit()).as(spark.log()).isZero();
        assertThat(spark.log()).contains("trained:");

        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        ModelVersion version =
                store.active(tenant).stream()
                        .filter(v -> v.kind().equals(TrainingService.ALS_KIND))
                        .findFirst()
                        .orElseThrow();
        ObjectMapper mapper = HilalJson.newMapper();
        JsonNode params = mapper.readTree(version.params());
        JsonNode metrics = mapper.readTree(version.metrics());
        assertThat(params.get("engine").asText()).isEqualTo("spark");
        assertThat(params.get("engineReason").asText())
                .contains("spark: 168,000 interactions (distinct customer-product pairs)");
        assertThat(metrics.get("validationSample").asText())
                .as("scored on a sample, and says so")
                .contains("hash sample of the 12,000 customers");
        assertThat(metrics.get("validationCustomers").asInt()).isBetween(4_000, 6_000);
        assertThat(metrics.get("beatsPopularity").asBoolean()).as(metrics.toString()).isTrue();

        AlsModel als =
                new ModelLoader(store)
                        .personal(tenant, TrainingService.ALS_KIND, version.version())
                        .als();
        assertThat(als.userIds()).hasSize(CUSTOMERS);
        for (int customer : new int[] {0, 1, 7_777, CUSTOMERS - 1}) {
            Set<String> owned = new HashSet<>();
            for (int nth = 0; nth < OWNED; nth++) {
                owned.add(product(customer, nth));
            }
            List<ScoredItem> picked = als.recommend("c" + customer, 4, owned);
            int c = customer;
            assertThat(picked)
                    .extracting(ScoredItem::productId)
                    .as("c%d's unowned products of their group lead", customer)
                    .hasSize(4)
                    .allMatch(productId -> sameGroup(c, productId));
        }
        try (var left = Files.list(work.resolve("spark"))) {
            assertThat(left).as("the driver's files are gone").isEmpty();
        }
    }

    record Run(int exit, String log) {}

    private static Run run(String mode) throws Exception {
        Path log = work.resolve(mode + ".log");
        Files.createDirectories(work.resolve("spark"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(
                                java,
                                HEAP,
                                "-XX:TieredStopAtLevel=1",
                                "-XX:+UseSerialGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                CappedHeapTraining.class.getName(),
                                mode,
                                url,
                                tenant,
                                SparkShop.jars().toString(),
                                work.resolve("spark").toString(),
                                "100000")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("HILAL_TEST_DB_USER", TestDatabase.user());
        builder.environment().put("HILAL_TEST_DB_PASSWORD", TestDatabase.password());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw new AssertionError(mode + " did not finish:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
