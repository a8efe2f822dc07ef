package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BestHoursTest {
    private static final String LONDON = "Europe/London";
    private static final String RIYADH = "Asia/Riyadh";

    /**
     * Customers of a zone who act at {@code hour} {@code events} times each, and once two hours
     * before or after it: people keep to their hours, give or take.
     */
    private static List<BestHours.Activity> crowd(
            String zone, int customers, int hour, int events) {
        List<BestHours.Activity> crowd = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            int[] hours = new int[24];
            hours[hour] = events;
            hours[(hour + (i % 2 == 0 ? 2 : 22)) % 24]++;
            crowd.add(new BestHours.Activity(zone, hours));
        }
        return crowd;
    }

    private static BestHours.Activity activity(String zone, int hour, int events) {
        int[] hours = new int[24];
        hours[hour] = events;
        return new BestHours.Activity(zone, hours);
    }

    static BestHours model() {
        List<BestHours.Activity> all = new ArrayList<>();
        // Most of London acts at 19:00, a quarter in the morning; Riyadh at 22:00.
        all.addAll(crowd(LONDON, 150, 19, 3));
        all.addAll(crowd(LONDON, 50, 9, 3));
        all.addAll(crowd(RIYADH, 50, 22, 3));
        return BestHours.fit(all);
    }

    @ParameterizedTest(name = "{0} with {2} events at {1}:00 -> {3}:00")
    @CsvSource({
        // zone, hour of the customer's events, how many, best hour
        // No history: their zone's pattern.
        "Europe/London, 9, 0, 19",
        "Asia/Riyadh, 9, 0, 22",
        // A zone nobody else is in: the tenant's pattern (London's crowd dominates).
        "Asia/Tokyo, 9, 0, 19",
        // One morning order is not enough to override a whole zone at 19:00...
        "Europe/London, 9, 1, 19",
        // ...many are.
        "Europe/London, 9, 40, 9",
        "Asia/Riyadh, 14, 40, 14",
    })
    void shrinksShortHistoriesTowardTheZoneAndTheTenant(
            String zone, int hour, int events, int expected) {
        assertThat(model().bestHour(activity(zone, hour, events), h -> true))
                .isEqualTo(OptionalInt.of(expected));
    }

    @Test
    void choosesAPriorStrengthFromTheData() {
        BestHours model = model();
        // A quarter of London acts in the morning: their zone alone would mislead them, yet
        // three or four events a customer is not a lot; neither extreme predicts best.
        assertThat(model.customerStrength()).isBetween(0.5, 64.0);
        double[] distribution = model.distribution(activity(LONDON, 9, 0));
        assertThat(java.util.Arrays.stream(distribution).sum()).isCloseTo(1.0, within());
    }

    @ParameterizedTest(name = "quiet {0}-{1}, customer at {2}:00 -> {3}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                // quiet start, end, the customer's hour, best allowed hour (NULL: none)
                "NULL, NULL, 23, 23",
                "21:00, 08:00, 23, 20",
                "21:00, 08:00, 3, 8",
                "21:00, 08:00, 12, 12",
                "12:00, 14:00, 13, 14",
                "00:00, 23:00, 5, 23",
            })
    void neverPicksAnHourInsideQuietHours(
            LocalTime start, LocalTime end, int hour, Integer expected) {
        int[] hours = new int[24];
        hours[hour] = 50;
        // Activity fading away from the customer's hour, so the nearest allowed hour wins.
        for (int d = 1; d <= 12; d++) {
            hours[(hour + d) % 24] += 12 - d;
            hours[(hour - d + 24) % 24] += 12 - d;
        }
        BestHours.Activity customer = new BestHours.Activity(LONDON, hours);
        BestHours model = BestHours.fit(List.of(customer));
        CampaignRequest.QuietHours quiet =
                start == null ? null : new CampaignRequest.QuietHours(start, end);
        OptionalInt best = model.bestHour(customer, BestHours.outside(quiet));
        assertThat(best)
                .isEqualTo(expected == null ? OptionalInt.empty() : OptionalInt.of(expected));
    }

    @Test
    void noHourAllowedMeansNoBestHour() {
        assertThat(model().bestHour(activity(LONDON, 9, 3), h -> false)).isEmpty();
    }

    @Test
    void countsEventsInTheCustomersLocalHour() {
        int[] hours = new int[24];
        // 19:30 UTC is 22:30 in Riyadh.
        BestHours.add(hours, Instant.parse("2026-04-06T19:30:00Z"), ZoneId.of(RIYADH));
        assertThat(hours[22]).isEqualTo(1);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
