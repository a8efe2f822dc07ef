package io.hilal.core.campaigns.sending;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendPaceTest {
    @ParameterizedTest(name = "concurrency {0}, batch {1}, tenant {2}/s, campaign {3}/s")
    @CsvSource(
            nullValues = "NULL",
            value = {
                // concurrency, claim batch, tenant per second, campaign per second,
                // expected per second, in flight, claim batch
                "64, 32, 0, NULL, 0, 64, 32",
                // The operator's kill: 5 a second claimed 64 ahead; now 2 seconds of it.
                "64, 32, 0, 5, 5, 10, 5",
                "64, 32, 5, NULL, 5, 10, 5",
                "64, 32, 5, 50, 5, 10, 5",
                "64, 32, 0, 100, 100, 64, 32",
                "64, 32, 50, 5, 5, 10, 5",
                "64, 32, 0, 0.5, 0.5, 1, 1",
                "64, 32, 0, 1, 1, 2, 1",
                "64, 32, 0, 2.5, 2.5, 5, 2",
                "4, 2, 0, 1000, 1000, 4, 2",
                "1, 1, 0, 5, 5, 1, 1",
            })
    void claimsAtMostAFewSecondsOfThePaceAhead(
            int concurrency,
            int claimBatch,
            double tenant,
            Double campaign,
            double perSecond,
            int inFlight,
            int batch) {
        SendPace pace = SendPace.of(concurrency, claimBatch, tenant, campaign);
        assertThat(pace).isEqualTo(new SendPace(perSecond, inFlight, batch));
    }
}
