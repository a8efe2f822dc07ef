package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.error.FieldError;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfferVariantsRequestTest {
    private static final CampaignRequest.Schedule AT =
            new CampaignRequest.Schedule(
                    "at",
                    LocalDate.of(2027, 3, 1),
                    LocalTime.of(10, 0),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);

    private static CampaignRequest request(
            List<CampaignRequest.Variant> variants, CampaignRequest.Allocation allocation) {
        return new CampaignRequest(
                "Eid",
                null,
                null,
                new CampaignRequest.Offer(
                        "Hi", "<p>Hi</p>", "Hi", null, null, null, variants, allocation),
                AT,
                null);
    }

    private static CampaignRequest.Variant variant(String name, String subject) {
        return new CampaignRequest.Variant(name, subject, null, null);
    }

    @Test
    void fillsTheAllocationsDefaults() {
        CampaignRequest filled =
                request(List.of(variant("a", "A"), variant("b", "B")), null).withDefaults();
        assertThat(filled.offer().allocation())
                .isEqualTo(new CampaignRequest.Allocation("click", "PT24H", "none", 200, 0.05));
        assertThat(request(null, null).withDefaults().offer().allocation()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "one variant | offer.variants",
                "six variants | offer.variants",
                "bad name | offer.variants[1].name",
                "same name | offer.variants[1].name",
                "bad subject template | offer.variants[0].subject",
                "long coupon | offer.variants[0].couponCode",
                "unknown hero row | offer.variants[0].heroRow",
                "null variant | offer.variants[1]",
                "allocation without variants | offer.allocation",
                "goal | offer.allocation.goal",
                "window | offer.allocation.window",
                "short window | offer.allocation.window",
                "segments | offer.allocation.segments",
                "minPerSegment | offer.allocation.minPerSegment",
                "minShare | offer.allocation.minShare",
                "ok | null",
            })
    void checksVariantsAndTheirAllocation(String which, String field) {
        CampaignRequest.Variant a = variant("a", "A {{customer.firstName}}");
        CampaignRequest.Variant b = new CampaignRequest.Variant("b", null, "EID15", "popular");
        List<CampaignRequest.Variant> variants = List.of(a, b);
        CampaignRequest.Allocation allocation = null;
        switch (which) {
            case "one variant" -> variants = List.of(a);
            case "six variants" ->
                    variants =
                            List.of(
                                    a,
                                    b,
                                    variant("c", null),
                                    variant("d", null),
                                    variant("e", null),
                                    variant("f", null));
            case "bad name" -> variants = List.of(a, variant("B b", null));
            case "same name" -> variants = List.of(a, variant("a", null));
            case "bad subject template" -> variants = List.of(variant("a", "{{#x}}"), b);
            case "long coupon" ->
                    variants =
                            List.of(
                                    new CampaignRequest.Variant("a", null, "X".repeat(65), null),
                                    b);
            case "unknown hero row" ->
                    variants = List.of(new CampaignRequest.Variant("a", null, null, "hero"), b);
            case "null variant" -> variants = Arrays.asList(a, null);
            case "allocation without variants" -> {
                variants = null;
                allocation = new CampaignRequest.Allocation("click", null, null, null, null);
            }
            case "goal" ->
                    allocation = new CampaignRequest.Allocation("open", null, null, null, null);
            case "window" ->
                    allocation = new CampaignRequest.Allocation(null, "1 day", null, null, null);
            case "short window" ->
                    allocation = new CampaignRequest.Allocation(null, "PT5M", null, null, null);
            case "segments" ->
                    allocation = new CampaignRequest.Allocation(null, null, "country", null, null);
            case "minPerSegment" ->
                    allocation = new CampaignRequest.Allocation(null, null, null, 5, null);
            case "minShare" ->
                    allocation = new CampaignRequest.Allocation(null, null, null, null, 0.3);
            default ->
                    allocation = new CampaignRequest.Allocation("order", "P2D", "locale", 50, 0.1);
        }
        List<String> fields =
                request(variants, allocation).validate().errors().stream()
                        .map(FieldError::field)
                        .toList();
        if (field == null) {
            assertThat(fields).isEmpty();
        } else {
            assertThat(fields).containsExactly(field);
        }
    }

    @Test
    void aHeroRowLeadsTheEmailWhenTheCustomerHasIt() {
        Rows rows =
                new Rows(
                        "c-1",
                        true,
                        List.of(row("picked-for-you"), row("time-to-restock"), row("popular")));
        assertThat(EmailComposer.leading(rows, "popular", 2).rows())
                .extracting(Rows.Row::id)
                .containsExactly("popular", "picked-for-you");
        assertThat(EmailComposer.leading(rows, "trending", 2).rows())
                .extracting(Rows.Row::id)
                .containsExactly("picked-for-you", "time-to-restock");
        assertThat(EmailComposer.leading(rows, null, 2)).isSameAs(rows);
    }

    private static Rows.Row row(String id) {
        return new Rows.Row(id, id, "", List.of(new ScoredItem("p-" + id, 1.0, null)));
    }
}
