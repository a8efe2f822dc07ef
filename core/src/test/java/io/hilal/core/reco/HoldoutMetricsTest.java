package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HoldoutMetricsTest {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    /**
     * {@code customers} customers each buying two of 12 products a month for four months, the last
     * month inside the 30 days held out.
     */
    private static List<Purchase> monthly(int customers) {
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < customers; customer++) {
            for (int month = 0; month < 4; month++) {
                Instant at = START.plus(Duration.ofDays(40L * month + customer % 9));
                String order = "o" + customer + "-" + month;
                purchases.add(
                        new Purchase("c" + customer, "p" + (customer + month) % 12, order, 1, at));
                purchases.add(
                        new Purchase(
                                "c" + customer, "p" + (customer + month + 5) % 12, order, 1, at));
            }
        }
        return purchases;
    }

    private static Instant newest(List<Purchase> purchases) {
        return purchases.stream().map(Purchase::at).max(Instant::compareTo).orElseThrow();
    }

    /** A personal model that counts its fits and ranks the products it was trained on by id. */
    private static HoldoutMetrics.Personal counting(AtomicInteger fits) {
        return new HoldoutMetrics.Personal(
                "als",
                Map.of("factors", 4),
                train -> {
                    fits.incrementAndGet();
                    List<String> products =
                            train.stream().map(Purchase::productId).distinct().sorted().toList();
                    return (customer, owned, k) ->
                            products.stream().filter(p -> !owned.contains(p)).limit(k).toList();
                },
                null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> scores(Map<String, Object> metrics) {
        return (List<Map<String, Object>>) metrics.get("scores");
    }

    @Test
    void fitsTheChosenPersonalModelOnceAndScoresItNextToTheBaselines() {
        List<Purchase> purchases = monthly(40);
        AtomicInteger fits = new AtomicInteger();

        Map<String, Object> metrics =
                HoldoutMetrics.evaluate(purchases, newest(purchases), counting(fits));

        assertThat(fits).as("one fit with the chosen settings, no grid").hasValue(1);
        assertThat(metrics.get("status")).isEqualTo("ok");
        assertThat(metrics.get("personalModel"))
                .isEqualTo(Map.of("kind", "als", "settings", Map.of("factors", 4), "scored", true));
        assertThat(scores(metrics))
                .extracting(
                        score ->
                                score.get("task") + " " + score.get("model") + " " + score.get("k"))
                .containsExactly(
                        "discover popularity 10",
                        "discover because-you-bought 10",
                        "discover als 10",
                        "buy-again most-often-bought 10",
                        "buy-again time-to-restock 10",
                        "discover popularity 20",
                        "discover because-you-bought 20",
                        "discover als 20",
                        "buy-again most-often-bought 20",
                        "buy-again time-to-restock 20");
        assertThat(metrics.get("testCustomers")).isEqualTo(40);
        assertThat(metrics.get("scoredCustomers")).isEqualTo(40);
        assertThat(metrics.get("sample")).isEqualTo("all customers who bought in the last 30 days");
    }

    @Test
    void scoresAtMostTheCapOfCustomersASeededSampleAndSaysSo() {
        List<Purchase> purchases = monthly(60);

        Map<String, Object> metrics =
                HoldoutMetrics.evaluate(
                        purchases, newest(purchases), counting(new AtomicInteger()), 10);

        assertThat(metrics.get("testCustomers")).isEqualTo(60);
        assertThat(metrics.get("scoredCustomers")).isEqualTo(10);
        assertThat(metrics.get("sample"))
                .isEqualTo(
                        "a seeded sample of 10 of the 60 customers who bought in the last 30 days");
        assertThat(scores(metrics))
                .filteredOn(score -> score.get("task").equals("discover"))
                .allSatisfy(score -> assertThat((int) score.get("customers")).isBetween(1, 10));
        assertThat(
                        HoldoutMetrics.json(
                                HoldoutMetrics.evaluate(
                                        purchases,
                                        newest(purchases),
                                        counting(new AtomicInteger()),
                                        10)))
                .as("the same customers on the same data")
                .isEqualTo(HoldoutMetrics.json(metrics));
    }

    @Test
    void aSmallTenantHasNotEnoughDataAndNoModelIsFitted() {
        List<Purchase> purchases = monthly(HoldoutMetrics.MIN_CUSTOMERS - 1);
        AtomicInteger fits = new AtomicInteger();

        Map<String, Object> metrics =
                HoldoutMetrics.evaluate(purchases, newest(purchases), counting(fits));

        assertThat(metrics)
                .containsEntry("status", "not_enough_data")
                .containsEntry(
                        "reason",
                        "needs 20 customers before the last 30 days and purchases in them")
                .doesNotContainKeys("scores", "personalModel");
        assertThat(fits).hasValue(0);
    }

    @Test
    void aModelNotFittedHereIsNamedWithWhyAndTheBaselinesAreStillScored() {
        List<Purchase> purchases = monthly(40);

        Map<String, Object> metrics =
                HoldoutMetrics.evaluate(
                        purchases,
                        newest(purchases),
                        HoldoutMetrics.Personal.notScored("als", "fitted outside the worker"));

        assertThat(metrics.get("personalModel"))
                .isEqualTo(
                        Map.of(
                                "kind",
                                "als",
                                "scored",
                                false,
                                "note",
                                "fitted outside the worker"));
        assertThat(scores(metrics))
                .extracting(score -> score.get("model"))
                .doesNotContain("als")
                .contains(
                        "popularity", "because-you-bought", "most-often-bought", "time-to-restock");
    }

    @Test
    void theServedModelsFitAndRankOnThePreHoldoutPurchases() {
        List<Purchase> purchases = monthly(40);
        for (HoldoutMetrics.Personal personal :
                List.of(
                        HoldoutMetrics.Personal.als(
                                io.hilal.core.reco.als.AlsParams.defaults()
                                        .withFactors(4)
                                        .withIterations(5)),
                        HoldoutMetrics.Personal.ease(100, 5, 1),
                        HoldoutMetrics.Personal.rp3beta(1, 0.5, 5, 1))) {
            Map<String, Object> metrics =
                    HoldoutMetrics.evaluate(purchases, newest(purchases), personal);

            assertThat(scores(metrics))
                    .filteredOn(score -> score.get("model").equals(personal.kind()))
                    .as(personal.kind())
                    .hasSize(2)
                    .allSatisfy(score -> assertThat((int) score.get("customers")).isPositive());
        }
    }
}
