package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class MailLinksTest {
    private final MailLinks links =
            new MailLinks(
                    "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.US_ASCII),
                    "https://hilal.example/",
                    "unsubscribe@hilal.example");
    private final MailLinks.Recipient amina =
            new MailLinks.Recipient("ten_1", "cmp_eid", "run_1", "c-42");

    @Test
    void aTokenNamesItsRecipientAndCannotBeAlteredOrForged() {
        String token = links.token(MailLinks.Kind.UNSUBSCRIBE, amina, null, null);
        assertThat(links.verify(MailLinks.Kind.UNSUBSCRIBE, token))
                .hasValueSatisfying(link -> assertThat(link.recipient()).isEqualTo(amina));
        assertThat(links.unsubscribeUrl(amina))
                .isEqualTo("https://hilal.example/v1/unsubscribe/" + token);

        String otherCustomer =
                links.token(
                        MailLinks.Kind.UNSUBSCRIBE,
                        new MailLinks.Recipient("ten_1", "cmp_eid", "run_1", "c-43"),
                        null,
                        null);
        String spliced =
                otherCustomer.substring(0, otherCustomer.indexOf('.'))
                        + token.substring(token.indexOf('.'));
        assertThat(links.verify(MailLinks.Kind.UNSUBSCRIBE, spliced)).isEmpty();
        assertThat(links.verify(MailLinks.Kind.UNSUBSCRIBE, "not-a-token")).isEmpty();
        assertThat(links.verify(MailLinks.Kind.UNSUBSCRIBE, "%%%.%%%")).isEmpty();

        MailLinks otherSecret =
                new MailLinks(
                        "another-secret-of-thirty-two-bytes-plus"
                                .getBytes(StandardCharsets.US_ASCII),
                        "https://hilal.example",
                        "u@hilal.example");
        assertThat(otherSecret.verify(MailLinks.Kind.UNSUBSCRIBE, token)).isEmpty();
    }

    @Test
    void aClickTokenIsNotAnUnsubscribeTokenAndCarriesItsProductAndTarget() {
        String url = links.clickUrl(amina, "p1", "https://shop.example/p1?x=1");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(links.verify(MailLinks.Kind.UNSUBSCRIBE, token)).isEmpty();
        assertThat(links.verify(MailLinks.Kind.CLICK, token))
                .hasValueSatisfying(
                        link -> {
                            assertThat(link.productId()).isEqualTo("p1");
                            assertThat(link.url()).isEqualTo("https://shop.example/p1?x=1");
                        });
    }

    @Test
    void headersOfferOneClickUnsubscribeOverHttpsAndMailto() {
        assertThat(links.headers(amina))
                .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .hasEntrySatisfying(
                        "List-Unsubscribe",
                        value ->
                                assertThat(value)
                                        .startsWith("<https://hilal.example/v1/unsubscribe/")
                                        .contains(
                                                ">, <mailto:unsubscribe@hilal.example?subject=unsubscribe%20"));
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
