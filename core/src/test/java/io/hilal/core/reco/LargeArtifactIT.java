package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.Migrations;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model whose artifact is larger than the server's {@code max_allowed_packet}, on a server of its
 * own set to a small one (2 MiB here; 64 MiB embedded, 1 GiB at most anywhere): one row could not
 * hold it, its chunks do, and it serves what the model in memory serves.
 */
class LargeArtifactIT {
    private static final int PACKET = 2 << 20;
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final int CUSTOMERS = 40_000;
    private static final int PRODUCTS = 300;
    private static final int FACTORS = 16;

    private static Jdbi jdbi;

    @BeforeAll
    static void serverWithASmallPacket() {
        TestDatabase.Server server = TestDatabase.anotherServer();
        server.createSchema("large_artifacts");
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setURL(server.jdbcUrl("large_artifacts"));
        dataSource.setUser(server.user());
        dataSource.setPassword(server.password());
        Migrations.migrate(dataSource);
        jdbi = HilalJdbi.configure(Jdbi.create(dataSource));
        // Connections opened from now on have it (the data source opens one per use).
        jdbi.useHandle(handle -> handle.execute("SET GLOBAL max_allowed_packet = " + PACKET));
        assertThat(
                        jdbi.<Long, RuntimeException>withHandle(
                                h ->
                                        h.select("SELECT @@max_allowed_packet")
                                                .mapTo(Long.class)
                                                .one()))
                .isEqualTo(PACKET);
    }

    @Test
    void storesLoadsAndServesAnArtifactLargerThanTheServersPacket() {
        String tenant = "large-" + System.nanoTime();
        Random random = new Random(7);
        List<String> customers = new ArrayList<>();
        List<String> products = new ArrayList<>();
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (int p = 0; p < PRODUCTS; p++) {
            String id = "product-" + p;
            products.add(id);
            catalog.put(id, new ProductInfo(id, "Product " + p, "category-" + (p % 7), true));
        }
        List<Purchase> purchases = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "customer-" + c;
            customers.add(id);
            purchases.add(
                    new Purchase(id, products.get(random.nextInt(PRODUCTS)), "o" + c, 1, NOW));
        }
        float[] customerFactors = new float[CUSTOMERS * FACTORS];
        float[] productFactors = new float[PRODUCTS * FACTORS];
        for (int i = 0; i < customerFactors.length; i++) {
            customerFactors[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < productFactors.length; i++) {
            productFactors[i] = (float) random.nextGaussian();
        }
        AlsModel als =
                AlsModel.fromFactors(
                        customers,
                        products,
                        FACTORS,
                        0.1,
                        10,
                        true,
                        customerFactors,
                        productFactors);
        RecommendationModel recommender = RecommendationModel.train(purchases, catalog, NOW);
        byte[] artifact = als.toBytes();
        assertThat(artifact.length).as("larger than the packet").isGreaterThan(PACKET);
        assertThatThrownBy(() -> oneRow(tenant, artifact))
                .as("one row cannot hold it: the store as it was failed here")
                .hasMessageContaining("max_allowed_packet");

        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        store.saveAndActivate(
                tenant,
                List.of(
                        new ModelStore.Activation(
                                new ModelStore.Trained(
                                        RecommendationModel.KIND,
                                        null,
                                        NOW,
                                        "{}",
                                        "{}",
                                        recommender.toBytes()),
                                Set.of()),
                        new ModelStore.Activation(
                                new ModelStore.Trained(
                                        TrainingService.ALS_KIND,
                                        null,
                                        NOW,
                                        "{}",
                                        "{\"beatsPopularity\": true}",
                                        // As training stores it: encoded into the chunks.
                                        als::writeTo),
                                Set.of())));

        assertThat(store.active(tenant))
                .filteredOn(version -> version.kind().equals(TrainingService.ALS_KIND))
                .singleElement()
                .extracting(ModelVersion::sizeBytes)
                .isEqualTo((long) artifact.length);
        assertThat(chunks(tenant))
                .isEqualTo(ArtifactChunks.count(artifact.length, ArtifactChunks.CHUNK_BYTES))
                .isGreaterThan(2);
        assertThat(store.artifact(tenant, TrainingService.ALS_KIND, 1)).contains(artifact);

        ModelLoader.Loaded loaded = new ModelLoader(store).active(tenant).orElseThrow();

        assertThat(loaded.als()).isNotNull();
        assertThat(loaded.als().userIds()).isEqualTo(customers);
        assertThat(loaded.als().itemIds()).isEqualTo(products);
        RowsService rows = new RowsService();
        for (int c = 0; c < CUSTOMERS; c += CUSTOMERS / 50) {
            String customer = customers.get(c);
            assertThat(loaded.als().userVector(customer).orElseThrow())
                    .isEqualTo(als.userVector(customer).orElseThrow());
            assertThat(loaded.als().recommend(customer, 20, Set.of()))
                    .isEqualTo(als.recommend(customer, 20, Set.of()));
            List<ScoredItem> served =
                    rows.recommendations(
                            loaded.model(),
                            loaded.als(),
                            customer,
                            CustomerSignals.NONE,
                            RowsFilter.NONE,
                            20);
            assertThat(served)
                    .isNotEmpty()
                    .isEqualTo(
                            rows.recommendations(
                                    recommender,
                                    als,
                                    customer,
                                    CustomerSignals.NONE,
                                    RowsFilter.NONE,
                                    20));
        }
    }

    @Test
    void aVersionMissingAChunkIsNeverReadAsAShorterModel() {
        String tenant = "damaged-" + System.nanoTime();
        byte[] artifact = new byte[3 * ArtifactChunks.CHUNK_BYTES + 5];
        new Random(3).nextBytes(artifact);
        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        store.saveAndActivate(
                tenant, new ModelStore.Trained("als", null, NOW, "{}", "{}", artifact));
        assertThat(store.artifact(tenant, "als", 1)).contains(artifact);

        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "DELETE FROM model_artifact_chunks WHERE tenant_id = ? AND seq = 3",
                                tenant));

        assertThatThrownBy(() -> store.artifact(tenant, "als", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected " + artifact.length);
    }

    /** The artifact as versions were stored before chunks: in the version's own row. */
    private static void oneRow(String tenant, byte[] artifact) {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO model_versions (tenant_id, kind, version, trained_at,"
                                        + " size_bytes, artifact) VALUES (?, 'als', 99, NOW(3), ?, ?)",
                                tenant,
                                artifact.length,
                                artifact));
    }

    private static long chunks(String tenant) {
        return jdbi.withHandle(
                handle ->
                        handle.select(
                                        "SELECT COUNT(*) FROM model_artifact_chunks"
                                                + " WHERE tenant_id = ? AND kind = 'als'",
                                        tenant)
                                .mapTo(Long.class)
                                .one());
    }
}
