package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColdStartTest {
    static final ColdStart.Item AJWA =
            item("ajwa", "Ajwa dates 1 kg", List.of("Food", "Dates"), Map.of(), "9.5");
    static final ColdStart.Item SUKKARI =
            item("sukkari", "Sukkari dates 1 kg", List.of("Food", "Dates"), Map.of(), "8");
    static final ColdStart.Item MEDJOOL =
            item("medjool", "Medjool dates", List.of("Food", "Dates"), Map.of(), "30");
    static final ColdStart.Item QAHWA =
            item("qahwa", "Arabic coffee 250 g", List.of("Food", "Coffee"), Map.of(), "7");
    static final ColdStart.Item FINJAN =
            item(
                    "finjan",
                    "Finjan cups, set of 6",
                    List.of("Home", "Tableware"),
                    Map.of("colour", "gold"),
                    "18");
    static final ColdStart.Item DALLAH =
            item(
                    "dallah",
                    "Brass dallah",
                    List.of("Home", "Tableware"),
                    Map.of("colour", "gold"),
                    "45");
    static final ColdStart.Item PILLOW =
            item("pillow", "Velvet pillow", List.of("Bedroom"), Map.of(), "20");

    static final List<ColdStart.Item> CATALOG =
            List.of(AJWA, SUKKARI, MEDJOOL, QAHWA, FINJAN, DALLAH, PILLOW);
    static final ColdStart NEW =
            new ColdStart(List.of(SUKKARI, MEDJOOL, QAHWA, DALLAH, PILLOW), CATALOG);

    @ParameterizedTest(name = "bought {0} -> first {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Same words, same category path, same price band beat the rest.
                "ajwa   | sukkari | New in Dates, like the Ajwa dates 1 kg you bought",
                // Same category and attributes without a shared word.
                "finjan | dallah  | New in Tableware, like the Finjan cups, set of 6 you bought",
            })
    void ranksFirstTheNewProductMostLikeWhatWasBought(String bought, String first, String reason) {
        ColdStart.Item owned = bought.equals("ajwa") ? AJWA : FINJAN;

        List<ScoredItem> items = NEW.recommend(List.of(owned), 10);

        assertThat(items.get(0).productId()).isEqualTo(first);
        assertThat(items.get(0).reason()).isEqualTo(reason);
        assertThat(items).extracting(ScoredItem::productId).doesNotContain("pillow");
    }

    @Test
    void aCloserPriceBreaksATieBetweenEquallyNamedProducts() {
        List<ScoredItem> items = NEW.recommend(List.of(AJWA), 10);

        assertThat(items).extracting(ScoredItem::productId).startsWith("sukkari", "medjool");
        assertThat(items.get(0).score()).isGreaterThan(items.get(1).score());
    }

    @Test
    void leavesOutWhatTheCustomerOwnsAndWhatIsLikeNothingTheyBought() {
        assertThat(NEW.recommend(List.of(SUKKARI), 10))
                .extracting(ScoredItem::productId)
                .doesNotContain("sukkari", "pillow", "dallah");
        assertThat(NEW.recommend(List.of(), 10)).isEmpty();
        assertThat(new ColdStart(List.of(), CATALOG).recommend(List.of(AJWA), 10)).isEmpty();
    }

    @Test
    void takesTheBestMatchOverEverythingBoughtAndStopsAtTheLimit() {
        List<ScoredItem> items = NEW.recommend(List.of(PILLOW, AJWA, FINJAN), 2);

        assertThat(items).hasSize(2);
        assertThat(items).extracting(ScoredItem::productId).containsExactly("sukkari", "medjool");
    }

    private static ColdStart.Item item(
            String id,
            String title,
            List<String> categories,
            Map<String, String> attributes,
            String price) {
        return new ColdStart.Item(id, title, categories, attributes, new BigDecimal(price));
    }
}
