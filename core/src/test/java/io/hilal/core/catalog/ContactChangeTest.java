package io.hilal.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a client key may send in an identify: the stored contact details again, nothing new. */
class ContactChangeTest {
    @ParameterizedTest(name = "stored {0}/{1}, sent {2}/{3} -> email {4}, consent {5}")
    @CsvSource(
            nullValues = "-",
            value = {
                "-, -, -, -, false, false",
                "a@x.example, granted, -, -, false, false",
                "a@x.example, granted, a@x.example, granted, false, false",
                "a@x.example, granted, ' A@X.example', granted, false, false",
                "a@x.example, granted, thief@evil.example, -, true, false",
                "a@x.example, denied, -, granted, false, true",
                "a@x.example, -, -, granted, false, true",
                "-, -, a@x.example, -, true, false",
                "-, -, -, denied, false, true",
            })
    void judgesEachChange(
            String storedEmail,
            String storedConsent,
            String sentEmail,
            String sentConsent,
            boolean changesEmail,
            boolean changesConsent) {
        Customer current =
                storedEmail == null && storedConsent == null
                        ? null
                        : new Customer(
                                "c1",
                                storedEmail,
                                null,
                                null,
                                storedConsent == null
                                        ? null
                                        : new EmailConsent(storedConsent, "test", Instant.EPOCH),
                                null,
                                Instant.EPOCH,
                                Instant.EPOCH);
        CustomerUpsert changes =
                new CustomerUpsert(
                        "c1",
                        sentEmail,
                        null,
                        null,
                        sentConsent == null ? null : new EmailConsent(sentConsent, "web", null),
                        null);

        assertThat(ContactChange.changesEmail(current, changes)).isEqualTo(changesEmail);
        assertThat(ContactChange.changesConsent(current, changes)).isEqualTo(changesConsent);
    }
}
