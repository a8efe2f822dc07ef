package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.Events;
import io.hilal.service.testing.TestApps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two service instances on one database, as behind a load balancer: each keeps customers' signals
 * between requests, and an event ingested through the other one still shows on the next request.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RowsAcrossInstancesIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> SERVING = TestApps.app(DATABASE);
    static final DropwizardAppExtension<HilalConfiguration> INGESTING = TestApps.app(DATABASE);
    static Api serving;
    static Api ingesting;

    @BeforeAll
    static void shop() {
        String[] tenant = Api.newTenant(SERVING.getLocalPort(), "two-instances");
        String key = tenant[1];
        serving = new Api(SERVING.getLocalPort(), key);
        ingesting = new Api(INGESTING.getLocalPort(), key);
        ingesting.post(
                "/v1/products/batch",
                "{\"products\": [{\"id\": \"dates\", \"title\": \"Ajwa dates\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"coffee\", \"title\": \"Arabic coffee\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"cups\", \"title\": \"Finjan cups\", \"categories\": [\"Home\"]}]}");
        List<String> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        for (int month = 0; month < 5; month++) {
            Instant at = start.plusSeconds(30L * 86400 * month);
            for (String regular : List.of("amina", "zaid")) {
                events.add(Events.order(regular + "-" + month, regular, at, "dates"));
            }
            for (int other = 0; other < 4; other++) {
                events.add(
                        Events.order(
                                "o-" + other + "-" + month,
                                "c-" + other,
                                at.plusSeconds(3600 * other),
                                "coffee",
                                "cups"));
            }
        }
        // A later order elsewhere moves the shop's clock on: the regulars are due to restock.
        events.add(
                Events.order(
                        "latest", "c-9", start.plusSeconds(150L * 86400 - 86400 * 2), "coffee"));
        ingesting.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        TestApps.train(SERVING, tenant[0]);
    }

    @Test
    void aPurchasePostedThroughTheOtherInstanceShowsOnTheNextRequest() {
        assertThat(serving.get("/v1/customers/zaid/rows").json().at("/rows/0/id").asText())
                .isEqualTo("time-to-restock");

        ingesting.post(
                "/v1/events",
                "{\"events\": ["
                        + Events.order(
                                "zaid-now", "zaid", Instant.parse("2026-05-30T09:00:00Z"), "dates")
                        + "]}");

        assertThat(serving.get("/v1/customers/zaid/rows").body()).doesNotContain("time-to-restock");
    }

    @Test
    void aThumbsDownPostedThroughTheOtherInstanceTakesTheProductOffAtOnce() {
        assertThat(serving.get("/v1/customers/c-1/rows?context=product:coffee").body())
                .contains("\"cups\"");

        ingesting.post("/v1/events", thumbsDown("c-1-no-cups", "c-1", "cups"));

        assertThat(serving.get("/v1/customers/c-1/rows?context=product:coffee").body())
                .doesNotContain("\"cups\"");
    }

    @Test
    void anErasedCustomerKeepsNoSignalsOnTheOtherInstance() {
        ingesting.post("/v1/events", thumbsDown("c-3-no-cups", "c-3", "cups"));
        assertThat(serving.get("/v1/customers/c-3/rows?context=product:coffee").body())
                .doesNotContain("\"cups\"");

        assertThat(ingesting.delete("/v1/customers/c-3").status()).isEqualTo(204);

        assertThat(serving.get("/v1/customers/c-3/rows?context=product:coffee").body())
                .as("the erased customer's thumbs-down went with them")
                .contains("\"cups\"");
    }

    @Test
    void aCustomerErasedAndCreatedAgainDoesNotInheritTheFormerSignals() {
        // Ingests so far: the orders (counter 0) and this thumbs-down (counter 1).
        ingesting.post("/v1/events", thumbsDown("c-2-no-cups", "c-2", "cups"));
        assertThat(serving.get("/v1/customers/c-2/rows?context=product:coffee").body())
                .doesNotContain("\"cups\"");

        // Erased and created again by two new orders, out of the serving instance's sight: the
        // counter is back at 1, and only the row's creation time tells the two customers apart.
        assertThat(ingesting.delete("/v1/customers/c-2").status()).isEqualTo(204);
        for (String order : List.of("c-2-again", "c-2-and-again")) {
            ingesting.post(
                    "/v1/events",
                    "{\"events\": ["
                            + Events.order(
                                    order, "c-2", Instant.parse("2026-05-30T09:00:00Z"), "dates")
                            + "]}");
        }

        assertThat(serving.get("/v1/customers/c-2/rows?context=product:coffee").body())
                .contains("\"cups\"");
    }

    private static String thumbsDown(String messageId, String customerId, String productId) {
        return "{\"events\": [{\"messageId\": \""
                + messageId
                + "\", \"type\": \"product_rated\", \"customerId\": \""
                + customerId
                + "\", \"productId\": \""
                + productId
                + "\", \"rating\": \"down\"}]}";
    }
}
