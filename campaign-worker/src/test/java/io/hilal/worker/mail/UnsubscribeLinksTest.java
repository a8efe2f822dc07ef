package io.hilal.worker.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {
    private final UnsubscribeLinks links =
            new UnsubscribeLinks(
                    "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.US_ASCII),
                    "https://hilal.example/",
                    "unsubscribe@hilal.example");

    @Test
    void aTokenNamesItsSubjectAndCannotBeAlteredOrForged() {
        UnsubscribeLinks.Subject subject = new UnsubscribeLinks.Subject("ten_1", "c-42", "cmp_eid");
        String token = links.token(subject);
        assertThat(links.verify(token)).contains(subject);
        assertThat(links.url(subject)).isEqualTo("https://hilal.example/u/" + token);

        String otherCustomer =
                links.token(new UnsubscribeLinks.Subject("ten_1", "c-43", "cmp_eid"));
        String spliced =
                otherCustomer.substring(0, otherCustomer.indexOf('.'))
                        + token.substring(token.indexOf('.'));
        assertThat(links.verify(spliced)).isEmpty();
        assertThat(links.verify("not-a-token")).isEmpty();
        assertThat(links.verify("%%%.%%%")).isEmpty();

        UnsubscribeLinks otherSecret =
                new UnsubscribeLinks(
                        "another-secret-of-thirty-two-bytes-plus"
                                .getBytes(StandardCharsets.US_ASCII),
                        "https://hilal.example",
                        "u@hilal.example");
        assertThat(otherSecret.verify(token)).isEmpty();
    }

    @Test
    void fiveHundredRepliesArePermanentAndFourHundredOnesAreNot() throws Exception {
        InternetAddress[] to = {new InternetAddress("a@example.com")};
        MessagingException rejected =
                new SMTPSendFailedException("DATA", 554, "554 rejected", null, null, null, to);
        MessagingException busy =
                new SMTPSendFailedException("DATA", 451, "451 try later", null, null, null, to);
        assertThat(SmtpPool.isPermanent(rejected)).isTrue();
        assertThat(SmtpPool.isPermanent(busy)).isFalse();
        assertThat(SmtpPool.isPermanent(new MessagingException("connection reset"))).isFalse();
    }
}
