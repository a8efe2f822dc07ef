package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jersey.validation.Validators;
import io.hilal.core.campaigns.CampaignSender;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
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
    void rejectsAClaimBatchLargerThanTheConcurrency() {
        SendingFactory sending = new SendingFactory();
        sending.setConcurrency(4);
        sending.setClaimBatch(8);
        Set<ConstraintViolation<SendingFactory>> violations = validator.validate(sending);
        assertThat(violations)
                .extracting(ConstraintViolation::getMessage)
                .containsExactly("sending.claimBatch must not exceed sending.concurrency");
    }
}
