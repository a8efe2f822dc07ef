package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelLoaderIT {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ModelStore store = new ModelStore(jdbi, Clock.systemUTC());

    @ParameterizedTest(name = "stored metrics {0}: served {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"beatsPopularity\": true} | true",
                "{\"beatsPopularity\": false} | false",
                "{\"validationRecall@20\": 0.3} | false", // stored before verdicts were kept
            })
    void servesTheFactorModelOnlyWhenItBeatPopularityAtItsTraining(String metrics, boolean served) {
        String tenant = "loader-" + System.nanoTime();
        List<Purchase> purchases = new ArrayList<>();
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (int customer = 0; customer < 20; customer++) {
            for (int product = 0; product < 3; product++) {
                String id = "p" + ((customer + product) % 6);
                catalog.put(id, new ProductInfo(id, id, null, true));
                purchases.add(new Purchase("c" + customer, id, "o" + customer, 1, NOW));
            }
        }
        store.saveAndActivate(
                tenant,
                new ModelStore.Trained(
                        RecommendationModel.KIND,
                        null,
                        NOW,
                        "{}",
                        "{}",
                        RecommendationModel.train(purchases, catalog, NOW).toBytes()));
        store.saveAndActivate(
                tenant,
                new ModelStore.Trained(
                        TrainingService.ALS_KIND,
                        null,
                        NOW,
                        "{}",
                        metrics,
                        ImplicitAls.train(
                                        AlsTuning.interactions(purchases),
                                        AlsParams.defaults()
                                                .withFactors(4)
                                                .withIterations(2)
                                                .withThreads(1))
                                .toBytes()));

        ModelLoader.Loaded loaded = new ModelLoader(store).active(tenant).orElseThrow();

        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.model().knows("c1")).isTrue();
        assertThat(loaded.als() != null).isEqualTo(served);
    }

    @org.junit.jupiter.api.Test
    void aTenantWithoutAStoredModelHasNoneNorIsOneTrained() {
        String tenant = "loader-none-" + System.nanoTime();

        assertThat(new ModelLoader(store).active(tenant)).isEmpty();
        assertThat(new ModelLoader(store).activeVersion(tenant)).isZero();
        assertThat(store.versions(tenant)).isEmpty();
    }
}
