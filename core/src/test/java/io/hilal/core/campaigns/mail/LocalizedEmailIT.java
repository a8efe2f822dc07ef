package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.catalog.PriceFormat;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.testing.TestSmtp;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A campaign email in the customer's language through real SMTP (GreenMail on a free port): the
 * Arabic variant of the subject and body for a customer whose locale is ar-SA, right-to-left with
 * its language on the HTML, their first name and an attribute as plain values, and prices written
 * the way they read them; an English customer of the same campaign gets the main offer.
 */
class LocalizedEmailIT {
    static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension static final GreenMailExtension RELAY = new GreenMailExtension(SMTP);

    private static final MailLinks LINKS =
            new MailLinks(
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
                    "https://shop.example/hilal",
                    "unsubscribe@shop.example");
    private static final SenderIdentity SENDER =
            new SenderIdentity(
                    "offers@souq.example", "Souq", null, "1 Souq St", "https://souq.example", null);
    private static final CampaignRequest.Offer OFFER =
            new CampaignRequest.Offer(
                    "Time to restock, {{customer.firstName}}",
                    "<p>Hello {{customer.firstName}} ({{customer.attributes.tier}})</p>"
                            + "{{{productBlock}}}",
                    "Hello {{customer.firstName}}\n{{productBlock}}",
                    null,
                    null,
                    Map.of(
                            "ar",
                            new CampaignRequest.LocaleVariant(
                                    "حان وقت التزود يا {{customer.firstName}}",
                                    "<p>مرحبا {{customer.firstName}} ({{customer.attributes.tier}})"
                                            + "{{customer.attributes.nested}}</p>"
                                            + "{{{productBlock}}}",
                                    null)));

    private static OfferRenderer.RenderedEmail render(
            String customerId, String email, OfferRenderer.Personal personal) {
        return render(OFFER, customerId, email, personal);
    }

    private static OfferRenderer.RenderedEmail render(
            CampaignRequest.Offer offer,
            String customerId,
            String email,
            OfferRenderer.Personal personal) {
        Rows rows =
                new Rows(
                        customerId,
                        true,
                        List.of(
                                new Rows.Row(
                                        "time-to-restock",
                                        "Time to restock",
                                        "evidence",
                                        List.of(new ScoredItem("p1", 1, "every 30 days")))));
        return new OfferRenderer(LINKS)
                .render(
                        OfferRenderer.compile(offer),
                        new OfferRenderer.Input(
                                new MailLinks.Recipient("ten_1", "cmp_eid", "run_1", customerId),
                                email,
                                "Eid",
                                null,
                                rows,
                                Map.of(
                                        "p1",
                                        new OfferRenderer.ProductCard(
                                                "p1",
                                                "Ajwa dates",
                                                new BigDecimal("12.50"),
                                                "SAR",
                                                null,
                                                "https://souq.example/p1")),
                                SENDER,
                                "<" + customerId + "@mail.souq.example>",
                                personal));
    }

    private static String html(MimeMessage message) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("text/html")) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no HTML part");
    }

    private static SmtpPool pool() {
        SmtpFactory factory = new SmtpFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(SMTP.getPort());
        factory.setConnections(1);
        factory.setTimeoutMillis(2_000);
        return factory.build();
    }

    @Test
    void anArabicCustomerGetsTheArabicVariantRightToLeftWithTheirNameAndPrices() throws Exception {
        OfferRenderer.Personal fatima =
                new OfferRenderer.Personal(
                        "ar-SA",
                        Map.of(
                                "firstName", "فاطمة",
                                "tier", "gold",
                                "nested", Map.of("secret", "not a plain value")));
        OfferRenderer.Personal john =
                new OfferRenderer.Personal("en-GB", Map.of("first_name", "John", "tier", 2));
        try (SmtpPool pool = pool()) {
            assertThat(pool.send(render("c-ar", "fatima@example.invalid", fatima)).status())
                    .isEqualTo(SendResult.Status.SENT);
            assertThat(pool.send(render("c-en", "john@example.invalid", john)).status())
                    .isEqualTo(SendResult.Status.SENT);
        }
        MimeMessage[] received = RELAY.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage arabic =
                received[0].getAllRecipients()[0].toString().startsWith("fatima")
                        ? received[0]
                        : received[1];
        MimeMessage english = arabic == received[0] ? received[1] : received[0];

        assertThat(arabic.getSubject()).isEqualTo("حان وقت التزود يا فاطمة");
        String arabicHtml = html(arabic);
        Document document = Jsoup.parse(arabicHtml);
        assertThat(document.selectFirst("html").attr("dir")).isEqualTo("rtl");
        assertThat(document.selectFirst("html").attr("lang")).isEqualTo("ar-SA");
        assertThat(document.body().text())
                .contains("مرحبا فاطمة (gold)")
                .doesNotContain("not a plain value")
                .doesNotContain("secret")
                .contains("Unsubscribe");
        // The price as an Arabic reader in Saudi Arabia writes it (Arabic-Indic digits).
        assertThat(arabicHtml)
                .contains(
                        PriceFormat.format(
                                new BigDecimal("12.50"), "SAR", Locale.forLanguageTag("ar-SA")))
                .contains("١٢٫٥٠");
        // The footer is still inside the body, after the template's own content.
        assertThat(document.body().select("a").last().text()).isEqualTo("Unsubscribe");

        assertThat(english.getSubject()).isEqualTo("Time to restock, John");
        String englishHtml = html(english);
        Document englishDocument = Jsoup.parse(englishHtml);
        assertThat(englishDocument.selectFirst("html").attr("dir")).isEmpty();
        assertThat(englishDocument.body().text()).contains("Hello John (2)");
        assertThat(englishHtml)
                .contains(
                        PriceFormat.format(
                                new BigDecimal("12.50"), "SAR", Locale.forLanguageTag("en-GB")));
    }

    /**
     * A shop with one offer and no language variants: written in English it stays English and left
     * to right for an Arabic reader ("Hello!" would read "!Hello" right to left); written in Arabic
     * it gets the customer's language and right to left, as a variant would.
     */
    @Test
    void anOfferWithoutVariantsTakesTheDirectionItIsWrittenIn() {
        OfferRenderer.Personal fatima = new OfferRenderer.Personal("ar-SA", Map.of());
        CampaignRequest.Offer english =
                new CampaignRequest.Offer(
                        "Time to restock",
                        "<p>Hello!</p>{{{productBlock}}}",
                        "Hello!",
                        null,
                        null,
                        Map.of());
        CampaignRequest.Offer arabic =
                new CampaignRequest.Offer(
                        "حان وقت التزود",
                        "<p>مرحبا!</p>{{{productBlock}}}",
                        "مرحبا!",
                        null,
                        null,
                        Map.of());

        Document inEnglish =
                Jsoup.parse(render(english, "c-ar", "f@example.invalid", fatima).html());
        Document inArabic = Jsoup.parse(render(arabic, "c-ar", "f@example.invalid", fatima).html());

        assertThat(inEnglish.selectFirst("html").attr("dir")).isNotEqualTo("rtl");
        assertThat(inEnglish.selectFirst("html").attr("lang")).isEmpty();
        assertThat(inArabic.selectFirst("html").attr("dir")).isEqualTo("rtl");
        assertThat(inArabic.selectFirst("html").attr("lang")).isEqualTo("ar-SA");
    }
}
