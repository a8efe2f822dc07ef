package io.hilal.service.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class PrometheusEndpointIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    @Test
    void exportsIngestCountsPerTenantAndRequestLatencyPerRouteTemplateInPrometheusTextFormat()
            throws Exception {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "metered");
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        String event =
                "{\"messageId\": \"%s\", \"type\": \"product_viewed\", \"customerId\": \"c-1\","
                        + " \"productId\": \"p-1\", \"timestamp\": \"2026-03-25T10:05:00Z\"}";
        Api.Reply ingest =
                api.post(
                        "/v1/events",
                        "{\"events\": ["
                                + event.formatted("m-1")
                                + ", "
                                + event.formatted("m-2")
                                + ", {\"messageId\": \"m-3\", \"type\": \"nonsense\"}]}");
        assertThat(ingest.status()).isEqualTo(200);
        api.post("/v1/events", "{\"events\": [" + event.formatted("m-1") + "]}");
        api.get("/v1/customers/c-1/events");
        api.get("/v1/customers/c-2/events");

        HttpResponse<String> scrape =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + APP.getAdminPort()
                                                                + PrometheusEndpoint.PATH))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String body = scrape.body();
        String tenantId = tenant[0];
        assertThat(body)
                .contains(
                        "hilal_ingest_events_total{result=\"accepted\",tenant=\""
                                + tenantId
                                + "\"} 2.0")
                .contains(
                        "hilal_ingest_events_total{result=\"duplicate\",tenant=\""
                                + tenantId
                                + "\"} 1.0")
                .contains(
                        "hilal_ingest_events_total{result=\"rejected\",tenant=\""
                                + tenantId
                                + "\"} 1.0");
        assertThat(body)
                .contains(
                        "hilal_http_request_duration_seconds_count{method=\"POST\",route=\"/v1/events\",status=\"2xx\"} 2")
                .contains(
                        "hilal_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/customers/{id}/events\"");
        assertThat(body).as("ids never become labels").doesNotContain("c-1").doesNotContain("c-2");
        assertThat(body)
                .as("Dropwizard's own metrics, bridged")
                .contains("io_dropwizard_jetty_MutableServletContextHandler_requests_count");
        assertThat(body)
                .containsPattern(
                        "(?m)^hilal_db_pool_connections\\{pool=\"main\",state=\"max\"} [1-9]")
                .contains("hilal_db_pool_connections{pool=\"main\",state=\"active\"}");
    }
}
