package io.hilal.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class CatalogIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    private Api api;

    @BeforeEach
    void tenant() {
        api = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "catalog")[1]);
    }

    @Test
    void upsertsAndReadsBackACustomerWithConsent() {
        Api.Reply put =
                api.put(
                        "/v1/customers/c-7",
                        "{\"email\": \"amina@example.com\", \"timeZone\": \"Asia/Riyadh\","
                                + " \"locale\": \"ar-SA\", \"emailConsent\": {\"status\": \"granted\","
                                + " \"source\": \"checkout\", \"timestamp\": \"2026-03-01T09:00:00Z\"},"
                                + " \"attributes\": {\"tier\": \"gold\", \"kids\": 2}}");
        assertThat(put.status()).isEqualTo(200);
        JsonNode customer = api.get("/v1/customers/c-7").json();
        assertThat(customer.get("email").asText()).isEqualTo("amina@example.com");
        assertThat(customer.get("timeZone").asText()).isEqualTo("Asia/Riyadh");
        assertThat(customer.at("/emailConsent/status").asText()).isEqualTo("granted");
        // Issue 19: the consent is dated when Hilal receives it, not by the client's timestamp
        // (kept apart, see InputHardeningIT).
        assertThat(java.time.Instant.parse(customer.at("/emailConsent/timestamp").asText()))
                .isAfter(java.time.Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(customer.at("/attributes/kids").asInt()).isEqualTo(2);
    }

    @Test
    void batchUpsertReportsEachItemAndStoresTheGoodOnes() {
        Api.Reply reply =
                api.post(
                        "/v1/customers/batch",
                        "{\"customers\": [{\"id\": \"a\", \"email\": \"a@example.com\"},"
                                + " {\"id\": \"b\", \"email\": \"broken\"}, {\"email\": \"no-id@example.com\"},"
                                + " {\"id\": \"c\", \"shoeSize\": 44}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("results"))
                .extracting(item -> item.get("status").asText())
                .containsExactly("upserted", "rejected", "rejected", "rejected");
        assertThat(reply.json().at("/results/3/reason").asText())
                .isEqualTo("unknown field 'shoeSize'");
        assertThat(api.get("/v1/customers/a").status()).isEqualTo(200);
        assertThat(api.get("/v1/customers/b").status()).isEqualTo(404);
    }

    @Test
    void pagesThroughProductsWithACursor() {
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            products.add(
                    "{\"id\": \"p-%02d\", \"title\": \"Dates %d\", \"categories\": [\"Food\", \"Dates\"],"
                                    .formatted(i, i)
                            + " \"price\": 12.5, \"currency\": \"SAR\", \"stock\": 4}");
        }
        Api.Reply batch =
                api.post(
                        "/v1/products/batch",
                        "{\"products\": [" + String.join(",", products) + "]}");
        assertThat(batch.status()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page =
                    api.get("/v1/products?limit=10" + (cursor == null ? "" : "&cursor=" + cursor))
                            .json();
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(25).isSorted().startsWith("p-00").endsWith("p-24");
        JsonNode product = api.get("/v1/products/p-03").json();
        assertThat(product.get("categories").toString()).isEqualTo("[\"Food\",\"Dates\"]");
        assertThat(product.get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(product.get("available").asBoolean()).isTrue();
        assertThat(product.get("hidden").asBoolean()).isFalse();
    }

    @Test
    void batchesTakeAThousandItemsAndRefuseAThousandAndOne() {
        for (String kind : List.of("customers", "products")) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                items.add("{\"id\": \"" + kind + "-" + i + "\"}");
            }
            Api.Reply ok =
                    api.post(
                            "/v1/" + kind + "/batch",
                            "{\"" + kind + "\": [" + String.join(",", items) + "]}");
            assertThat(ok.status()).as(kind).isEqualTo(200);
            assertThat(ok.json().get("results")).hasSize(1000);

            items.add("{\"id\": \"" + kind + "-extra\"}");
            Api.Reply tooMany =
                    api.post(
                            "/v1/" + kind + "/batch",
                            "{\"" + kind + "\": [" + String.join(",", items) + "]}");
            assertThat(tooMany.status()).as(kind).isEqualTo(422);
            assertThat(tooMany.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(api.get("/v1/customers/customers-extra").status()).isEqualTo(404);
        assertThat(api.get("/v1/products/products-extra").status()).isEqualTo(404);
        assertThat(api.get("/v1/overview").json().get("products").asLong()).isEqualTo(1000);
    }

    @Test
    void attributesTakeSixteenKibibytesOfJsonAndNoMore() {
        String template = "{\"attributes\": {\"note\": \"%s\"}}";
        int overhead = "{\"note\":\"\"}".length();
        Api.Reply ok =
                api.put(
                        "/v1/customers/roomy",
                        template.formatted("x".repeat(16 * 1024 - overhead)));
        assertThat(ok.status()).isEqualTo(200);
        Api.Reply tooBig =
                api.put(
                        "/v1/customers/cramped",
                        template.formatted("x".repeat(16 * 1024 - overhead + 1)));
        assertThat(tooBig.status()).isEqualTo(422);
        assertThat(tooBig.json().at("/errors/0/field").asText()).isEqualTo("attributes");
        assertThat(api.get("/v1/customers/cramped").status()).isEqualTo(404);
    }

    @Test
    void erasureRemovesTheCustomerAndAllTheirEvents() {
        api.post(
                "/v1/events",
                "{\"events\": [{\"messageId\": \"gone-1\", \"type\": \"order_completed\","
                        + " \"customerId\": \"leaver\", \"orderId\": \"o1\", \"lines\": [{\"productId\": \"p\","
                        + " \"quantity\": 1, \"unitPrice\": 3, \"currency\": \"EUR\"}]},"
                        + " {\"messageId\": \"kept-1\", \"type\": \"search\", \"customerId\": \"stayer\","
                        + " \"query\": \"oud\"}]}");
        assertThat(api.delete("/v1/customers/leaver").status()).isEqualTo(204);
        assertThat(api.get("/v1/customers/leaver").status()).isEqualTo(404);
        assertThat(api.get("/v1/customers/leaver/events").status()).isEqualTo(404);
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isEqualTo(1);
        assertThat(api.get("/v1/overview").json().get("orders").asLong()).isZero();
        assertThat(api.delete("/v1/customers/leaver").status()).isEqualTo(404);
    }
}
