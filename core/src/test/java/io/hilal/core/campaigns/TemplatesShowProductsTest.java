package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether a campaign's templates may show the customer's products: the sender reads no
 * recommendation rows for an email whose templates cannot show them, so every template said not to
 * show products must render exactly the same email with the customer's rows as without.
 */
class TemplatesShowProductsTest {
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
    private static final Rows ROWS =
            new Rows(
                    "c-42",
                    true,
                    List.of(
                            new Rows.Row(
                                    "time-to-restock",
                                    "Time to restock",
                                    "evidence",
                                    List.of(
                                            new ScoredItem("p1", 1, "You buy this every 30 days"),
                                            new ScoredItem("p2", 0.5, "Bought together")))));
    private static final Rows NO_ROWS = new Rows("c-42", false, List.of());
    private static final Map<String, OfferRenderer.ProductCard> CARDS =
            Map.of(
                    "p1",
                    new OfferRenderer.ProductCard(
                            "p1", "Ajwa dates", new BigDecimal("9.50"), "USD", null, null));
    private static final OfferRenderer.Personal PERSONAL =
            new OfferRenderer.Personal("ar", Map.of("firstName", "Amina", "tier", "gold"));

    static Stream<Arguments> htmlTemplates() {
        return Stream.of(
                // html, shows products
                Arguments.of(
                        "<p>Eid Mubarak, {{customer.firstName}}! Code {{couponCode}}</p>", false),
                Arguments.of(
                        "<html><body><h2>Eid Mubarak!</h2><p>Your usual box is waiting.</p>"
                                + "<p>Code {{couponCode}}</p></body></html>",
                        false),
                Arguments.of(
                        "{{#customer}}{{attributes.tier}} {{email}}{{/customer}}"
                                + " {{campaign.name}} {{sender.postalAddress}}"
                                + " <a href=\"{{unsubscribeUrl}}\">out</a>",
                        false),
                Arguments.of("{{^couponCode}}no code{{/couponCode}}{{! a comment }}", false),
                Arguments.of("<p>Hi</p>{{{productBlock}}}", true),
                Arguments.of("<p>Hi</p>{{& productBlock }}", true),
                Arguments.of("{{#rows}}<h3>{{title}}</h3>{{/rows}}", true),
                Arguments.of("{{#products}}{{title}}{{/products}}", true),
                Arguments.of("{{^hasProducts}}Nothing for you today{{/hasProducts}}", true),
                Arguments.of("{{#hasProducts}}Picked for you{{/hasProducts}}", true),
                Arguments.of("{{products.0.title}}", true),
                // A name in a section falls back to the top scope, where the rows are.
                Arguments.of("{{#customer}}{{#rows}}{{title}}{{/rows}}{{/customer}}", true),
                Arguments.of("{{#campaign}}{{{productBlock}}}{{/campaign}}", true),
                // The whole scope, rows included.
                Arguments.of("{{.}}", true),
                // Other delimiters, same name.
                Arguments.of("{{=<% %>=}}<%& productBlock%>", true));
    }

    @ParameterizedTest
    @MethodSource("htmlTemplates")
    void aTemplateShowsProductsWhenItNamesARowsValueAnywhere(String html, boolean shows) {
        CampaignRequest.Offer offer =
                new CampaignRequest.Offer("Eid Mubarak", html, "Eid Mubarak", "EID10", null);
        OfferRenderer.Templates templates = OfferRenderer.compile(offer);

        assertThat(templates.showsProducts()).isEqualTo(shows);
        if (!shows) {
            assertThat(render(templates, NO_ROWS)).isEqualTo(render(templates, ROWS));
        }
    }

    @ParameterizedTest
    @MethodSource("htmlTemplates")
    void theTextTheSubjectAndEveryLanguageCount(String template, boolean shows) {
        CampaignRequest.Offer inText =
                new CampaignRequest.Offer("Eid Mubarak", "<p>Eid</p>", template, null, null);
        CampaignRequest.Offer inSubject =
                new CampaignRequest.Offer(template, "<p>Eid</p>", "Eid", null, null);
        CampaignRequest.Offer inArabic =
                new CampaignRequest.Offer(
                        "Eid Mubarak",
                        "<p>Eid</p>",
                        "Eid",
                        null,
                        null,
                        Map.of("ar", new CampaignRequest.LocaleVariant(null, template, null)));

        for (CampaignRequest.Offer offer : List.of(inText, inSubject, inArabic)) {
            OfferRenderer.Templates templates = OfferRenderer.compile(offer);
            assertThat(templates.showsProducts()).isEqualTo(shows);
            if (!shows) {
                assertThat(render(templates, NO_ROWS)).isEqualTo(render(templates, ROWS));
            }
        }
    }

    private static OfferRenderer.RenderedEmail render(
            OfferRenderer.Templates templates, Rows rows) {
        return new OfferRenderer(LINKS)
                .render(
                        templates,
                        new OfferRenderer.Input(
                                AMINA,
                                "amina@example.invalid",
                                "Eid",
                                "EID10",
                                rows,
                                CARDS,
                                SENDER,
                                "<id@mail>",
                                PERSONAL));
    }
}
