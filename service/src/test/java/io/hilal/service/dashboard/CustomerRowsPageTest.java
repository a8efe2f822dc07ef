package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.service.dashboard.CustomerRowsPage.NextTraining;
import io.hilal.service.dashboard.CustomerRowsPage.Standing;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CustomerRowsPageTest {
    private static final Instant TRAINED_TO = Instant.parse("2026-04-06T15:00:00Z");
    private static final String POPULAR =
            "these rows are not personalized, they show what is popular.";

    private static String why(Standing standing) {
        return CustomerRowsPage.notPersonalized("c-42", standing);
    }

    @Test
    void saysHilalKnowsNothingOnlyOfACustomerItHasNoProfileOrEventOf() {
        assertThat(why(new Standing(false, false, false, TRAINED_TO, NextTraining.NIGHTLY)))
                .isEqualTo("Hilal knows nothing of customer c-42 yet: " + POPULAR);
    }

    @Test
    void namesTheTrainedModelsEndAndWhatTrainsItNextForABuyerItDoesNotHold() {
        assertThat(why(new Standing(true, true, false, TRAINED_TO, NextTraining.NIGHTLY)))
                .isEqualTo(
                        "Customer c-42 is not in the trained model yet: it was trained on the"
                                + " purchases up to 6 Apr 2026, 15:00 UTC, and the worker's next"
                                + " nightly training learns them (POST /v1/models/train queues one"
                                + " now). Until then "
                                + POPULAR);
        assertThat(why(new Standing(true, true, false, TRAINED_TO, NextTraining.QUEUED)))
                .contains("and a training run queued for the worker learns them.");
        assertThat(why(new Standing(true, true, false, TRAINED_TO, NextTraining.NONE)))
                .contains("and no training is due until new events arrive.");
    }

    @Test
    void tellsAShopWithoutATrainedModelAndACustomerWithoutPurchasesApart() {
        assertThat(why(new Standing(true, true, false, null, NextTraining.QUEUED)))
                .isEqualTo(
                        "No model is trained for this shop yet (a training run is queued): for"
                                + " customer c-42 too, "
                                + POPULAR);
        assertThat(why(new Standing(true, false, false, TRAINED_TO, NextTraining.NIGHTLY)))
                .isEqualTo("Hilal has customer c-42 but no purchase of theirs yet: " + POPULAR);
        assertThat(why(new Standing(true, true, true, TRAINED_TO, NextTraining.NONE)))
                .startsWith("Customer c-42 is in the trained model, but nothing they bought");
    }
}
