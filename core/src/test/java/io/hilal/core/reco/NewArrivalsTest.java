package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewArrivalsTest {
    private static final Instant TRAINED = Instant.parse("2026-03-01T10:00:00Z");

    private static final RecommendationModel MODEL =
            RecommendationModel.train(
                    List.of(new Purchase("amina", "ajwa", "o1", 1, TRAINED)),
                    Map.of("ajwa", new ProductInfo("ajwa", "Ajwa dates", "Dates", true)),
                    TRAINED);

    private static CatalogProduct product(String id, String title, String category, int minute) {
        return new CatalogProduct(
                id,
                title,
                List.of("Food", category),
                new BigDecimal("10"),
                "SAR",
                null,
                null,
                Map.of(),
                TRAINED.plusSeconds(60L * minute));
    }

    @Test
    void comparesOnlyTheNewestProductsAddedSinceTraining() {
        List<CatalogProduct> catalog = new ArrayList<>();
        catalog.add(product("ajwa", "Ajwa dates", "Dates", -100));
        // The closest match of all was added first, before as many other new products as a
        // request compares.
        catalog.add(product("sukkari", "Sukkari dates", "Dates", 0));
        for (int i = 1; i <= NewArrivals.CANDIDATES; i++) {
            catalog.add(product("tool-" + i, "Garden tool " + i, "Garden", i));
        }
        catalog.add(product("medjool", "Medjool dates", "Dates", NewArrivals.CANDIDATES - 1));
        Map<String, RecommendationModel.Timing> owned = MODEL.timings("amina");

        List<ScoredItem> picks =
                new NewArrivals().forCustomer(MODEL, CatalogSnapshot.of(1, catalog), owned, 10);

        assertThat(picks).extracting(ScoredItem::productId).contains("medjool");
        assertThat(picks).extracting(ScoredItem::productId).doesNotContain("sukkari");
        assertThat(picks.get(0).productId()).isEqualTo("medjool");
        assertThat(picks.get(0).reason()).isEqualTo("New in Dates, like the Ajwa dates you bought");
    }
}
