package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.error.Checks;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferRendererTest {
    private static final MailLinks LINKS =
            new MailLinks(
                    "test-link-secret-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8),
                    "https://hilal.example",
                    "u@hilal.example");
    private static final MailLinks.Recipient AMINA =
            new MailLinks.Recipient("ten_1", "cmp_1", "run_1", "c-42");
    private static final SenderIdentity SENDER =
            new SenderIdentity(
                    "offers@souq.example", "Souq", null, "1 Souq St", "https://souq.example", null);

    private static OfferRenderer.RenderedEmail render(CampaignRequest.Offer offer) {
        Rows rows =
                new Rows(
                        "c-42",
                        true,
                        List.of(
                                new Rows.Row(
                                        "time-to-restock",
                                        "Time to restock",
                                        "evidence",
                                        List.of(
                                                new ScoredItem(
                                                        "p1", 1, "You buy this every 30 days"),
                                                new ScoredItem("p2", 0.5, "<b>bold</b>")))));
        Map<String, OfferRenderer.ProductCard> cards =
                Map.of(
                        "p1",
                        new OfferRenderer.ProductCard(
                                "p1", "Ajwa dates", new BigDecimal("9.50"), "USD", null, null));
        return new OfferRenderer(LINKS)
                .render(
                        OfferRenderer.compile(offer),
                        new OfferRenderer.Input(
                                AMINA,
                                "amina@example.invalid",
                                "Eid",
                                "EID10",
                                rows,
                                cards,
                                SENDER,
                                "<id@mail>"));
    }

    @Test
    void fillsTheProductBlockWithReasonsSignedLinksAndAFooter() {
        OfferRenderer.RenderedEmail email =
                render(
                        new CampaignRequest.Offer(
                                "Hi {{customer.id}} & co",
                                "<html><body><p>{{couponCode}}</p>{{{productBlock}}}</body></html>",
                                "Code {{couponCode}}\n{{productBlock}}",
                                null,
                                null));
        assertThat(email.subject()).isEqualTo("Hi c-42 & co");
        assertThat(email.html())
                .contains("Ajwa dates")
                .contains("9.5 USD")
                .contains("&lt;b&gt;bold&lt;/b&gt;")
                .contains("https://hilal.example/v1/c/")
                .contains("https://hilal.example/v1/nfm/")
                .contains("1 Souq St")
                .endsWith("</p></body></html>");
        assertThat(email.text())
                .contains(
                        "Code EID10\nTime to restock\n- Ajwa dates (9.5 USD): You buy this every 30 days\n")
                .contains("Unsubscribe: https://hilal.example/v1/unsubscribe/");
        assertThat(email.headers())
                .containsEntry("Message-ID", "<id@mail>")
                .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        assertThat(email.from()).isEqualTo("Souq <offers@souq.example>");
    }

    @Test
    void theSubjectIsOneLineAndTheFooterEscapesThePostalAddress() {
        OfferRenderer.RenderedEmail email =
                new OfferRenderer(LINKS)
                        .render(
                                OfferRenderer.compile(
                                        new CampaignRequest.Offer(
                                                " Hi\t {{customer.id}}\n\nsoon ",
                                                "<p>Hi</p>",
                                                "Hi",
                                                null,
                                                null)),
                                new OfferRenderer.Input(
                                        AMINA,
                                        "amina@example.invalid",
                                        "Eid",
                                        null,
                                        new Rows("c-42", false, List.of()),
                                        Map.of(),
                                        new SenderIdentity(
                                                "offers@souq.example",
                                                "Souq",
                                                null,
                                                "1 <Souq> St & \"Co\"",
                                                "https://souq.example",
                                                null),
                                        "<id@mail>"));
        assertThat(email.subject()).isEqualTo("Hi c-42 soon");
        assertThat(email.html())
                .startsWith("<p>Hi</p><hr ")
                .contains(
                        "1 &lt;Souq&gt; St &amp; &quot;Co&quot; · <a href=\"https://hilal.example/v1/unsubscribe/")
                .endsWith("\">Unsubscribe</a></p>");
        assertThat(OfferRenderer.oneLine("Hi c-42 soon")).isEqualTo("Hi c-42 soon");
        assertThat(OfferRenderer.oneLine("  Hi  there\r\n")).isEqualTo("Hi there");
    }

    @Test
    void templatesThatDoNotCompileOrIncludeFilesAreRejected() {
        Checks checks = new Checks();
        OfferRenderer.checkTemplates(
                checks,
                new CampaignRequest.Offer("{{#open}}", "{{> /etc/passwd}}", "fine", null, null));
        assertThat(checks.errors())
                .extracting(error -> error.field())
                .containsExactly("offer.subject", "offer.html");
    }
}
