package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19, low findings on campaign templates, through the real preview endpoint (the same code
 * renders the real send): the mandatory footer cannot be hidden by the template's markup, and a
 * template reaches plain values only, never a method of one.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TemplateSafetyIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static final ObjectMapper JSON = new ObjectMapper();

    static Api api;

    @BeforeAll
    static void tenant() {
        api = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "templates")[1]);
        api.put(
                "/v1/products/p-dates",
                "{\"title\": \"Ajwa dates\", \"categories\": [\"Dates\"], \"price\": 9.5,"
                        + " \"currency\": \"USD\"}");
        api.put(
                "/v1/customers/c-1",
                "{\"email\": \"amina@example.invalid\", \"emailConsent\": {\"status\":"
                        + " \"granted\", \"source\": \"test\"}}");
        api.post(
                "/v1/events",
                "{\"events\": [{\"messageId\": \"o-1\", \"type\": \"order_completed\","
                        + " \"customerId\": \"c-1\", \"orderId\": \"o-1\", \"timestamp\":"
                        + " \"2024-01-02T10:00:00Z\", \"lines\": [{\"productId\": \"p-dates\","
                        + " \"quantity\": 1, \"unitPrice\": 9.5, \"currency\": \"USD\"}]}]}");
        api.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq\","
                        + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>Hello</p><!-- an unclosed comment",
                "<html><body><p>Hello</p><!-- </body> --></body></html>",
                "<p>Hello</p><!-- </body>",
                "<p>Hello</p><template>",
                "<p>Hello</p><noscript>",
                "<p>Hello</p><div style=\"display:none\">",
                "<p>Hello</p><textarea>",
                "<p>Hello</p><style>",
                "<p>Hello</p>",
            })
    void theFooterIsAlwaysAVisibleParagraphOfTheBody(String html) {
        String rendered = preview(html, "Hi").get("html").asText();

        Document document = Jsoup.parse(rendered);
        Element unsubscribe = document.selectFirst("a:containsOwn(Unsubscribe)");
        assertThat(unsubscribe).as(rendered).isNotNull();
        assertThat(unsubscribe.attr("href")).contains("/v1/unsubscribe/");
        assertThat(unsubscribe.parent().parent()).as(rendered).isEqualTo(document.body());
        assertThat(unsubscribe.parent().text()).contains("1 Souq St, Riyadh");
    }

    @Test
    void templatesCannotCallMethodsOfValues() {
        ObjectNode email =
                preview(
                        "<p>[{{customer.email}}][{{customer.email.toUpperCase}}]"
                                + "[{{customer.email.getClass}}][{{customer.size}}]"
                                + "[{{campaign.name.length}}][{{rows.size}}][{{hasProducts.toString}}]</p>",
                        "{{customer.id.toUpperCase}}{{customer.id.hashCode}}|{{customer.id}}");

        assertThat(email.get("html").asText())
                .contains("<p>[amina@example.invalid][][][][][][]</p>")
                .doesNotContain("AMINA")
                .doesNotContain("java.lang");
        assertThat(email.get("subject").asText()).isEqualTo("|c-1");
    }

    private static ObjectNode preview(String html, String subject) {
        ObjectNode campaign = JSON.createObjectNode();
        campaign.put("name", "Template safety");
        campaign.putObject("audience").putObject("bought").put("category", "Dates");
        ObjectNode offer = campaign.putObject("offer");
        offer.put("subject", subject).put("html", html).put("text", "Hello");
        ObjectNode schedule = campaign.putObject("schedule");
        schedule.put("type", "anchor")
                .put("offsetDays", 7)
                .put("localTime", "10:00")
                .put("validFor", "P3D");
        schedule.putObject("anchor").put("holiday", "eid_al_fitr").put("hijriYear", 1432);
        Api.Reply created = api.post("/v1/campaigns", campaign.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Api.Reply preview =
                api.post(
                        "/v1/campaigns/" + created.json().get("id").asText() + "/preview",
                        "{\"customerId\": \"c-1\"}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        return (ObjectNode) preview.json().get("email");
    }
}
