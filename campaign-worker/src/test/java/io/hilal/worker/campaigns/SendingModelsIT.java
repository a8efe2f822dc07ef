package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.catalog.ProductUpsert;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.journeys.ActiveModels;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The worker composes a tenant's emails with its active model, or with its best sellers until the
 * training job has trained one: a send pass never trains (it used to train an untrained tenant on
 * every pass, every few seconds).
 */
class SendingModelsIT {
    @Test
    void anUntrainedTenantsSendsUseItsBestSellersUntilTheTrainingJobTrainsIt() throws Exception {
        Jdbi jdbi = TestDatabase.newJdbi();
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        String tenantId =
                new TenantService(jdbi, clock).createTenant("Souq", "UTC").tenant().tenantId();
        ProductService products = new ProductService(jdbi, mapper, clock);
        for (String id : List.of("dates", "coffee")) {
            products.upsert(
                    tenantId,
                    new ProductUpsert(
                            id,
                            id,
                            List.of("Food"),
                            new BigDecimal("12.50"),
                            "SAR",
                            null,
                            null,
                            false,
                            null,
                            "https://souq.example/p/" + id,
                            Map.of()));
        }
        Instant start = clock.instant().minusSeconds(86400 * 10);
        List<JsonNode> orders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(
                    mapper.readTree(
                            "{\"messageId\": \"o-"
                                    + i
                                    + "\", \"type\": \"order_completed\", \"customerId\":"
                                    + " \"buyer-"
                                    + i
                                    + "\", \"orderId\": \"o-"
                                    + i
                                    + "\", \"timestamp\": \""
                                    + start.plusSeconds(3600L * i)
                                    + "\", \"lines\": [{\"productId\": \"dates\", \"quantity\": 1,"
                                    + " \"unitPrice\": 10, \"currency\": \"SAR\"}]}"));
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenantId, orders);
        ModelStore store = new ModelStore(jdbi, clock);
        SendingModels models =
                new SendingModels(
                        new ActiveModels(new ModelLoader(store)), new PopularityFallback(jdbi));

        // Pass after pass, the untrained tenant's emails get its best sellers, and nothing trains:
        // a model trained on the way would know its buyers.
        for (int pass = 0; pass < 3; pass++) {
            RecommendationModel model = models.apply(tenantId);
            assertThat(model.customerCount()).isZero();
            assertThat(model.knows("buyer-0")).isFalse();
            assertThat(model.popular()).extracting(ScoredItem::productId).startsWith("dates");
        }
        assertThat(store.active(tenantId)).isEmpty();

        // Once the training job has trained the tenant, its sends use that model.
        new TrainingService(new RecommendationTrainer(jdbi), store, new TenantService(jdbi, clock))
                .train(tenantId);
        assertThat(models.apply(tenantId).knows("buyer-0")).isTrue();
    }
}
