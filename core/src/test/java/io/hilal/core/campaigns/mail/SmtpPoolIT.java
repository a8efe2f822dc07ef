package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.testing.TestSmtp;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real SMTP (GreenMail): pooled connections, one-click unsubscribe headers, relay outages. */
class SmtpPoolIT {
    /** A fixed port of this project's own, so parallel builds on one machine do not collide. */
    static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension static final GreenMailExtension RELAY = new GreenMailExtension(SMTP);

    private static final MailLinks LINKS =
            new MailLinks(
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
                    "https://shop.example/hilal",
                    "unsubscribe@shop.example");

    private static SmtpPool pool(int connections, int attempts) {
        return factory(connections, attempts).build();
    }

    private static SmtpFactory factory(int connections, int attempts) {
        SmtpFactory factory = new SmtpFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(SMTP.getPort());
        factory.setConnections(connections);
        factory.setMaxAttempts(attempts);
        factory.setFirstBackoffMillis(10);
        factory.setTimeoutMillis(2_000);
        return factory;
    }

    private static MimeMessage offer(SmtpPool pool, int i) throws Exception {
        MimeMessage message = new MimeMessage(pool.session());
        message.setFrom(new InternetAddress("offers@shop.example"));
        message.setRecipient(
                Message.RecipientType.TO, new InternetAddress("customer-" + i + "@example.com"));
        message.setSubject("Time to restock your dates");
        message.setText("Eid Mubarak! Your usual box of Ajwa dates is waiting.");
        for (var header :
                LINKS.headers(new MailLinks.Recipient("ten_1", "cmp_eid", "run_1", "c-" + i))
                        .entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        return message;
    }

    @Test
    void sendsEveryMessageOverTheSamePooledConnections() throws Exception {
        try (SmtpPool pool = pool(2, 3)) {
            ExecutorService senders = Executors.newFixedThreadPool(4);
            try {
                List<Callable<SendResult>> sends = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    MimeMessage message = offer(pool, i);
                    sends.add(() -> pool.send(message));
                }
                for (Future<SendResult> result : senders.invokeAll(sends)) {
                    assertThat(result.get().status()).isEqualTo(SendResult.Status.SENT);
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(RELAY.getReceivedMessages()).hasSize(40);
            assertThat(pool.connectionsOpened()).isEqualTo(2);
        }
        MimeMessage received = RELAY.getReceivedMessages()[0];
        assertThat(received.getHeader("List-Unsubscribe-Post", null))
                .isEqualTo("List-Unsubscribe=One-Click");
        String header = received.getHeader("List-Unsubscribe", null);
        assertThat(header)
                .startsWith("<https://shop.example/hilal/v1/unsubscribe/")
                .contains("<mailto:unsubscribe@shop.example?");
        String token = header.substring(header.indexOf("/unsubscribe/") + 13, header.indexOf('>'));
        assertThat(LINKS.verify(MailLinks.Kind.UNSUBSCRIBE, token))
                .hasValueSatisfying(
                        link -> assertThat(link.recipient().campaignId()).isEqualTo("cmp_eid"));
    }

    @Test
    void timesOutBlockedWritesUnlessToldNotTo() throws Exception {
        try (SmtpPool pool = pool(1, 1)) {
            assertThat(pool.session().getProperty("mail.smtp.writetimeout")).isEqualTo("2000");
        }
        SmtpFactory factory = factory(1, 1);
        factory.setWriteTimeout(false);
        try (SmtpPool pool = factory.build()) {
            assertThat(pool.session().getProperty("mail.smtp.writetimeout")).isNull();
            assertThat(pool.session().getProperty("mail.smtp.timeout")).isEqualTo("2000");
            assertThat(pool.send(offer(pool, 1)).status()).isEqualTo(SendResult.Status.SENT);
        }
        assertThat(RELAY.getReceivedMessages()).hasSize(1);
    }

    @Test
    void namesJakartaMailsStreamProviderSoItIsNotLookedUpForEveryMessage() throws Exception {
        try (SmtpPool pool = pool(1, 1)) {
            assertThat(System.getProperty(SmtpPool.STREAM_PROVIDER))
                    .isEqualTo(MailStreamProvider.class.getName());
            // A campaign email still goes out whole through the named provider: an encoded
            // non-ASCII subject, quoted-printable HTML and plain text as multipart/alternative.
            OfferRenderer.RenderedEmail email =
                    new OfferRenderer.RenderedEmail(
                            "Souq <offers@shop.example>",
                            "customer-1@example.com",
                            null,
                            "عيد مبارك: time to restock",
                            "<p>Your usual box of Ajwa dates · 10% off</p>",
                            "Your usual box of Ajwa dates, 10% off",
                            Map.of("Message-ID", "<1.eid@mail.shop.example>"));
            assertThat(pool.send(email).status()).isEqualTo(SendResult.Status.SENT);
        }
        MimeMessage received = RELAY.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("عيد مبارك: time to restock");
        assertThat(received.getMessageID()).isEqualTo("<1.eid@mail.shop.example>");
        Multipart parts = (Multipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContent())
                .isEqualTo("Your usual box of Ajwa dates, 10% off");
        assertThat((String) parts.getBodyPart(1).getContent())
                .contains("Your usual box of Ajwa dates · 10% off");
    }

    @Test
    void reportsATemporaryFailureWhileTheRelayIsDownAndReconnectsWhenItIsBack() throws Exception {
        try (SmtpPool pool = pool(1, 2)) {
            assertThat(pool.send(offer(pool, 1)).status()).isEqualTo(SendResult.Status.SENT);
            RELAY.stop();
            SendResult down = pool.send(offer(pool, 2));
            assertThat(down.status()).isEqualTo(SendResult.Status.TEMPORARY_FAILURE);
            assertThat(down.reason()).isNotBlank();
            RELAY.start();
            assertThat(pool.send(offer(pool, 3)).status()).isEqualTo(SendResult.Status.SENT);
            assertThat(RELAY.getReceivedMessages()).hasSize(1);
            assertThat(pool.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void reopensAConnectionTheRelayClosedWhileIdleWithoutCountingItAsAFailure() throws Exception {
        try (SmtpPool pool = pool(1, 1)) {
            assertThat(pool.send(offer(pool, 1)).status()).isEqualTo(SendResult.Status.SENT);
            RELAY.stop();
            RELAY.start();
            assertThat(pool.send(offer(pool, 2)).status()).isEqualTo(SendResult.Status.SENT);
            assertThat(RELAY.getReceivedMessages()).hasSize(1);
            assertThat(pool.connectionsOpened()).isEqualTo(2);
        }
    }
}
