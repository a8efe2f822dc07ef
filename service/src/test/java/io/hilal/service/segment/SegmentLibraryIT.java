package io.hilal.service.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.TrackMessage;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Segment's own Java library, pointed at Hilal (under a custom prefix): only the endpoint changes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SegmentLibraryIT {
    /** A non-default prefix, to show it is honoured. */
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    io.dropwizard.testing.ConfigOverride.config("segmentPathPrefix", "/collect"));

    @Test
    void segmentsJavaLibraryDeliversIdentifyAndEcommerceEventsToHilal() {
        String writeKey = Api.newTenant(APP.getLocalPort(), "segment-library")[1];
        Api api = new Api(APP.getLocalPort(), writeKey);
        Analytics analytics =
                Analytics.builder(writeKey)
                        .endpoint("http://127.0.0.1:" + APP.getLocalPort() + "/collect")
                        .log(
                                new com.segment.analytics.Log() {
                                    @Override
                                    public void print(Level level, String format, Object... args) {
                                        System.out.println(
                                                "segment: " + String.format(format, args));
                                    }

                                    @Override
                                    public void print(
                                            Level level,
                                            Throwable error,
                                            String format,
                                            Object... args) {
                                        System.out.println(
                                                "segment: "
                                                        + String.format(format, args)
                                                        + " "
                                                        + error);
                                    }
                                })
                        .build();
        try {
            analytics.enqueue(
                    IdentifyMessage.builder()
                            .userId("u-42")
                            .traits(
                                    Map.of(
                                            "email",
                                            "amina@example.com",
                                            "timezone",
                                            "Asia/Riyadh",
                                            "email_opt_in",
                                            true)));
            analytics.enqueue(
                    TrackMessage.builder("Order Completed")
                            .userId("u-42")
                            .properties(
                                    Map.of(
                                            "order_id", "o-1",
                                            "currency", "SAR",
                                            "products",
                                                    List.of(
                                                            Map.of(
                                                                    "product_id",
                                                                    "dates",
                                                                    "quantity",
                                                                    2,
                                                                    "price",
                                                                    45.5)))));
            analytics.enqueue(
                    TrackMessage.builder("Product Viewed")
                            .userId("u-42")
                            .properties(Map.of("product_id", "oud")));
            analytics.enqueue(
                    TrackMessage.builder("Eid Card Sent")
                            .userId("u-42")
                            .properties(Map.of("to", "family")));
            analytics.flush();
        } finally {
            analytics.shutdown();
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(api.get("/v1/overview").json().get("events").asLong())
                                        .isEqualTo(3));
        JsonNode customer = api.get("/v1/customers/u-42").json();
        assertThat(customer.get("email").asText()).isEqualTo("amina@example.com");
        assertThat(customer.at("/emailConsent/status").asText()).isEqualTo("granted");
        String events = api.get("/v1/customers/u-42/events").body();
        assertThat(events)
                .contains("\"type\":\"order_completed\"")
                .contains("\"productId\":\"dates\"")
                .contains("\"type\":\"product_viewed\"")
                .contains("\"type\":\"eid_card_sent\"");
    }
}
