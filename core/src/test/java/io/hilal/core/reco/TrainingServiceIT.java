package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class TrainingServiceIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final Clock clock = Clock.systemUTC();
    private final TenantService tenants = new TenantService(jdbi, clock);
    private final ModelStore store = new ModelStore(jdbi, clock);
    private final RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
    private final TrainingService training = new TrainingService(trainer, store, tenants);

    @Test
    void trainsQueuedTenantsAndStoresAModelThatServesLikeAFreshOne() throws Exception {
        String tenant = tenants.createTenant("shop", "UTC").tenant().tenantId();
        List<JsonNode> events = new ArrayList<>();
        for (int month = 0; month < 4; month++) {
            events.add(
                    mapper.readTree(
                            "{\"messageId\": \"m"
                                    + month
                                    + "\", \"type\": \"order_completed\", \"customerId\": \"c\","
                                    + " \"orderId\": \"o"
                                    + month
                                    + "\", \"timestamp\": \"2026-0"
                                    + (month + 1)
                                    + "-01T10:00:00Z\","
                                    + " \"lines\": [{\"productId\": \"dates\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"},"
                                    + " {\"productId\": \"coffee\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"}]}"));
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);
        store.requestTraining(tenant);

        assertThat(training.processPending()).isEqualTo(1);
        assertThat(training.processPending()).isZero();
        assertThat(store.recentTraining(tenant))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("DONE");
        assertThat(new ModelLoader(store).activeVersion(tenant)).isEqualTo(1);

        RecommendationModel stored = new ModelLoader(store).active(tenant).orElseThrow().model();
        RowsService rows = new RowsService();
        assertThat(rows.rows(stored, "c", null, Set.of(), 5, 5))
                .isEqualTo(rows.rows(trainer.train(tenant), "c", null, Set.of(), 5, 5));
        assertThat(store.versions(tenant).get(0).metrics()).contains("\"customers\":1");
    }

    @Test
    void queuesEveryTenantForTheNightlyRun() {
        tenants.createTenant("a", "UTC");
        tenants.createTenant("b", "UTC");
        assertThat(training.requestForAllTenants()).isEqualTo(2);
        assertThat(training.requestForAllTenants()).as("already waiting").isZero();
        assertThat(training.processPending()).isEqualTo(2);
    }

    @Test
    void givesEachTenantAtMostOneTrainingThreadAndRequeuesTheRunsOfADeadWorker() {
        String big = tenants.createTenant("big", "UTC").tenant().tenantId();
        String small = tenants.createTenant("small", "UTC").tenant().tenantId();
        store.requestTraining(big);
        store.requestTraining(big);
        store.requestTraining(small);

        List<Runnable> handedOver = new ArrayList<>();
        assertThat(training.dispatch(handedOver::add, 3)).isEqualTo(2);
        assertThat(store.recentTraining(big))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactlyInAnyOrder("RUNNING", "PENDING");
        assertThat(training.dispatch(handedOver::add, 3)).as("big is still running").isZero();

        // The worker dies: its runs never finish. Past the longest run they are queued again.
        TrainingService later =
                new TrainingService(
                        trainer,
                        new ModelStore(jdbi, Clock.offset(clock, Duration.ofHours(3))),
                        tenants);
        assertThat(later.requeueStale(Duration.ofHours(2))).isEqualTo(2);
        handedOver.clear();
        assertThat(training.dispatch(handedOver::add, 3)).isEqualTo(2);
        handedOver.forEach(Runnable::run);
        assertThat(store.recentTraining(small))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("DONE");
        assertThat(training.dispatch(handedOver::add, 3)).as("big's second request").isEqualTo(1);
    }

    @Test
    void storesHoldoutMetricsWithEveryModel() throws Exception {
        String tenant = tenants.createTenant("metrics", "UTC").tenant().tenantId();
        List<JsonNode> events = new ArrayList<>();
        for (int customer = 0; customer < 30; customer++) {
            for (int month = 0; month < 4; month++) {
                events.add(
                        mapper.readTree(
                                "{\"messageId\": \"m"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"type\": \"order_completed\", \"customerId\": \"c"
                                        + customer
                                        + "\", \"orderId\": \"o"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"timestamp\": \"2026-0"
                                        + (month + 1)
                                        + "-0"
                                        + (1 + customer % 9)
                                        + "T10:00:00Z\", \"lines\": [{\"productId\": \"p"
                                        + (customer + month) % 7
                                        + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"},"
                                        + " {\"productId\": \"p"
                                        + (customer + month + 1) % 7
                                        + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"}]}"));
            }
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);

        training.train(tenant);

        var recommender =
                store.versions(tenant).stream()
                        .filter(v -> v.kind().equals("recommender"))
                        .findFirst()
                        .orElseThrow();
        JsonNode metrics = mapper.readTree(recommender.metrics());
        assertThat(metrics.at("/holdout/status").asText()).isEqualTo("ok");
        assertThat(metrics.at("/holdout/scores"))
                .extracting(score -> score.get("model").asText())
                .contains("popularity", "item-to-item", "most-often-bought", "repeat-timing");
        assertThat(recommender.windowStart()).isNotNull();
        assertThat(store.versions(tenant))
                .extracting(v -> v.kind())
                .containsExactlyInAnyOrder("recommender", "als");
        var als =
                store.versions(tenant).stream()
                        .filter(v -> v.kind().equals("als"))
                        .findFirst()
                        .orElseThrow();
        JsonNode alsMetrics = mapper.readTree(als.metrics());
        assertThat(alsMetrics.get("popularityValidationRecall@20").isNumber()).isTrue();
        boolean beat =
                alsMetrics.get("validationRecall@20").asDouble()
                        > alsMetrics.get("popularityValidationRecall@20").asDouble();
        assertThat(alsMetrics.get("beatsPopularity").asBoolean()).isEqualTo(beat);
        // Served only with that verdict.
        assertThat(new ModelLoader(store).active(tenant).orElseThrow().als() != null)
                .isEqualTo(beat);
    }
}
