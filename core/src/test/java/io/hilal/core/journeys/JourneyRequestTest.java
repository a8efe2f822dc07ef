package io.hilal.core.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.error.FieldError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JourneyRequestTest {
    private static final CampaignRequest.Offer OFFER =
            new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null);

    @ParameterizedTest(name = "{0} / {1} / {2} / {3}: {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                "abandoned_cart, PT4H, null, 0.1, ok",
                "cross_sell, P14D, P2D, 0, ok",
                "win_back, P90D, null, 0.5, ok",
                "restock_due, null, null, null, ok",
                "restock_due, PT0S, null, null, ok",
                "abandoned_cart, null, null, null, delay",
                "abandoned_cart, PT0S, null, null, delay",
                "abandoned_cart, P731D, null, null, delay",
                "abandoned_cart, 4 hours, null, null, delay",
                "abandoned_cart, PT4H, PT1M, null, validFor",
                "abandoned_cart, PT4H, P91D, null, validFor",
                "abandoned_cart, PT4H, null, 0.6, holdoutShare",
                "abandoned, PT4H, null, null, kind",
                "null, PT4H, null, null, kind",
            })
    void checksEachFieldByItsKindsRules(
            String kind, String delay, String validFor, Double holdout, String failing) {
        JourneyRequest request =
                new JourneyRequest("Cart", kind, delay, holdout, validFor, OFFER, null);
        if (failing.equals("ok")) {
            assertThat(request.validate().errors()).isEmpty();
            JourneyRequest filled = request.withDefaults();
            assertThat(filled.holdoutShare()).isNotNull();
            assertThat(filled.validFor()).isNotNull();
            assertThat(filled.limits().frequencyCap()).isNotNull();
            assertThat(filled.backing().validate().errors()).isEmpty();
        } else {
            assertThat(request.validate().errors())
                    .extracting(FieldError::field)
                    .containsExactly(failing);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"offer.subject", "offer.html"})
    void checksTheOfferAsACampaignDoes(String field) {
        CampaignRequest.Offer offer =
                field.equals("offer.subject")
                        ? new CampaignRequest.Offer(null, "<p>Hi</p>", "Hi", null, null)
                        : new CampaignRequest.Offer("Hi", null, "Hi", null, null);
        assertThat(
                        new JourneyRequest(
                                        "Cart", "abandoned_cart", "PT4H", null, null, offer, null)
                                .validate()
                                .errors())
                .extracting(FieldError::field)
                .containsExactly(field);
    }
}
