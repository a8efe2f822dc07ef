package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefundNettingTest {
    /**
     * Each step is "+N" (an order of N units of the product, one a day) or "-N" (a refund of N
     * units); what is kept is the units of each order left, in order, "0" for a dropped line.
     */
    @ParameterizedTest(name = "{0} keeps {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "+2 -2 | ''",
                "+2 -1 | 1",
                "+1 +1 -1 | 1",
                "+3 +2 -4 | 1",
                "-1 +2 | 2", // a refund of an order never imported changes nothing
                "+1 -1 +1 | 1",
                "+1 -5 | ''", // more refunded than bought: gone, nothing negative
            })
    void aRefundCancelsTheLatestEarlierUnitsOfTheSameProduct(String steps, String kept) {
        RefundNetting netting = new RefundNetting();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        int order = 0;
        for (String step : steps.split(" ")) {
            int units = Integer.parseInt(step.substring(1));
            if (step.startsWith("+")) {
                netting.bought(new Purchase("amina", "dates", "o" + order++, units, at));
            } else {
                netting.refunded("amina", "dates", units);
            }
            at = at.plusSeconds(86_400);
        }
        List<String> quantities = new ArrayList<>();
        netting.kept().forEach(line -> quantities.add(String.valueOf(line.quantity())));

        assertThat(String.join(" ", quantities)).isEqualTo(kept);
    }

    @org.junit.jupiter.api.Test
    void aRefundTouchesOnlyItsOwnCustomerAndProduct() {
        RefundNetting netting = new RefundNetting();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        netting.bought(new Purchase("amina", "dates", "o1", 1, at));
        netting.bought(new Purchase("amina", "coffee", "o1", 1, at));
        netting.bought(new Purchase("zaid", "dates", "o2", 1, at));

        netting.refunded("amina", "dates", 1);

        assertThat(netting.kept())
                .extracting(Purchase::customerId, Purchase::productId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("amina", "coffee"),
                        org.assertj.core.groups.Tuple.tuple("zaid", "dates"));
    }
}
