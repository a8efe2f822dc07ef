package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jersey.validation.Validators;
import io.hilal.core.campaigns.sending.CampaignSender;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

class SendingFactoryTest {
    private final Validator validator = Validators.newValidator();

    @Test
    void splitsTheConcurrencyIntoThreadsClaimingABatchEach() {
        SendingFactory sending = new SendingFactory();
        sending.setConcurrency(8);
        sending.setClaimBatch(4);
        assertThat(validator.validate(sending)).isEmpty();
        CampaignSender.Settings settings = sending.settings("worker-1");
        assertThat(settings.threads()).isEqualTo(2);
        assertThat(settings.claimBatch()).isEqualTo(4);
    }

    @Test
    void capsTheClaimBatchAtTheConcurrencySoTheCrashBoundHolds() {
        SendingFactory sending = new SendingFactory();
        sending.setConcurrency(1);
        assertThat(validator.validate(sending)).isEmpty();
        CampaignSender.Settings settings = sending.settings("worker-1");
        assertThat(settings.claimBatch()).isEqualTo(1);
        assertThat(settings.threads()).isEqualTo(1);
    }

    @Test
    void allowsAtMost256SendsInFlight() {
        SendingFactory sending = new SendingFactory();
        sending.setConcurrency(256);
        sending.setClaimBatch(128);
        assertThat(validator.validate(sending)).isEmpty();
        sending.setConcurrency(257);
        assertThat(validator.validate(sending))
                .extracting(violation -> violation.getPropertyPath().toString())
                .containsExactly("concurrency");
    }

    @Test
    void byDefaultTwoThreadsClaimThirtyTwoSendsEach() {
        CampaignSender.Settings settings = new SendingFactory().settings("worker-1");
        assertThat(settings.concurrency()).isEqualTo(64);
        assertThat(settings.claimBatch()).isEqualTo(32);
        assertThat(settings.threads()).isEqualTo(2);
    }
}
