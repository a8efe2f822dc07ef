package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.reco.Rows;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: a sender name or a subject holding CR/LF (stored before validation refused them, or
 * made by a template from customer data) never becomes a header of its own. Rendered by the real
 * renderer, sent through the real SMTP client to a real SMTP server (GreenMail), read back there.
 */
class HeaderInjectionIT {
    @RegisterExtension
    static final GreenMailExtension RELAY =
            new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private static final MailLinks LINKS =
            new MailLinks(
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
                    "https://shop.example/hilal",
                    "unsubscribe@shop.example");

    @Test
    void crLfInTheSenderNameOrSubjectInjectsNoHeader() throws Exception {
        SenderIdentity sender =
                new SenderIdentity(
                        "offers@shop.example",
                        "Souq\r\nBcc: victim@evil.example\r\nX-Injected: yes",
                        null,
                        "1 Souq St",
                        null,
                        null);
        OfferRenderer.RenderedEmail email =
                new OfferRenderer(LINKS)
                        .render(
                                OfferRenderer.compile(
                                        new CampaignRequest.Offer(
                                                "Hello {{customer.id}}\r\nBcc: victim2@evil.example",
                                                "<p>Hi</p>",
                                                "Hi",
                                                null,
                                                null)),
                                new OfferRenderer.Input(
                                        new MailLinks.Recipient("ten_1", "cmp_1", "run_1", "c-1"),
                                        "customer@example.com",
                                        "Eid",
                                        null,
                                        new Rows("c-1", false, List.of()),
                                        Map.of(),
                                        sender,
                                        "<1.eid@mail.shop.example>"));

        SmtpFactory factory = new SmtpFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(RELAY.getSmtp().getPort());
        factory.setConnections(1);
        factory.setMaxAttempts(1);
        factory.setTimeoutMillis(5_000);
        try (SmtpPool pool = factory.build()) {
            assertThat(pool.send(email).status()).isEqualTo(SendResult.Status.SENT);
        }

        MimeMessage[] received = RELAY.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage message = received[0];
        assertThat(message.getAllRecipients())
                .extracting(address -> ((InternetAddress) address).getAddress())
                .containsExactly("customer@example.com");
        assertThat(message.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(message.getHeader("X-Injected")).isNull();
        assertThat(message.getHeader("Bcc")).isNull();
        InternetAddress from = (InternetAddress) message.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("offers@shop.example");
        assertThat(from.getPersonal()).isEqualTo("Souq Bcc: victim@evil.example X-Injected: yes");
        assertThat(message.getSubject()).isEqualTo("Hello c-1 Bcc: victim2@evil.example");
        assertThat(RELAY.getReceivedMessagesForDomain("evil.example")).isEmpty();
    }
}
