package io.hilal.service.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's per-tenant quotas, over HTTP: set, enforced, and never felt by a neighbour. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantQuotasIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    private static Api tenant(String[] created) {
        return new Api(APP.getLocalPort(), created[1]);
    }

    private static Api operator() {
        return new Api(APP.getLocalPort(), TestApps.OPERATOR_KEY);
    }

    /** A batch of {@code count} product views with message ids {@code prefix-0...}. */
    private static String batch(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(
                        i ->
                                "{\"messageId\": \""
                                        + prefix
                                        + "-"
                                        + i
                                        + "\", \"type\": \"product_viewed\","
                                        + " \"customerId\": \"c-1\", \"productId\": \"p-1\"}")
                .collect(Collectors.joining(",", "{\"events\": [", "]}"));
    }

    private static long storedEvents(String tenantId) {
        return operator()
                .get("/v1/operator/tenants/" + tenantId + "/usage?days=1")
                .json()
                .get("stored")
                .get("events")
                .asLong();
    }

    @Test
    void theOperatorSetsAndReadsQuotasAndOnlyTheOperatorCan() {
        String[] created = Api.newTenant(APP.getLocalPort(), "quoted");
        String path = "/v1/operator/tenants/" + created[0] + "/quotas";

        assertThat(operator().get(path).json().path("storedEvents").isNumber()).isFalse();
        Api.Reply set =
                operator()
                        .put(
                                path,
                                "{\"ingestEventsPerSecond\": 100, \"storedEvents\": 5000,"
                                        + " \"sendsPerDay\": 200, \"trainingSecondsPerDay\": 600}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(operator().get(path).json().get("sendsPerDay").asLong()).isEqualTo(200);
        assertThat(
                        operator()
                                .put(path, "{\"storedEvents\": 10}")
                                .json()
                                .path("sendsPerDay")
                                .isNumber())
                .as("a PUT replaces every quota; one left out is no quota")
                .isFalse();

        Api.Reply invalid = operator().put(path, "{\"sendsPerDay\": 0}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.contentType()).isEqualTo("application/problem+json");
        assertThat(invalid.json().get("errors").get(0).get("field").asText())
                .isEqualTo("sendsPerDay");
        assertThat(operator().get(path).json().get("storedEvents").asLong())
                .as("an invalid PUT changes nothing")
                .isEqualTo(10);
        assertThat(tenant(created).put(path, "{}").status()).isEqualTo(401);
        assertThat(operator().get("/v1/operator/tenants/ten_missing/quotas").status())
                .isEqualTo(404);
    }

    @Test
    void aTenantOverItsIngestRateGets429WithRetryAfterAndItsNeighbourIsUntouched() {
        String[] flooding = Api.newTenant(APP.getLocalPort(), "flooding");
        String[] neighbour = Api.newTenant(APP.getLocalPort(), "quiet");
        operator()
                .put(
                        "/v1/operator/tenants/" + flooding[0] + "/quotas",
                        "{\"ingestEventsPerSecond\": 2}");

        // A full bucket lets one batch in however large, and leaves the tenant 98 events in debt.
        assertThat(tenant(flooding).post("/v1/events", batch("a", 100)).status()).isEqualTo(200);
        Api.Reply refused = tenant(flooding).post("/v1/events", batch("b", 10));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("ingest_quota_exceeded");
        assertThat(refused.json().get("retryable").asBoolean()).isTrue();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(40L, 60L);
        assertThat(tenant(flooding).post("/v1/events", "{\"events\": [not json").status())
                .as("turned away before its body is read")
                .isEqualTo(429);
        Api.Reply segment =
                tenant(flooding)
                        .post(
                                "/segment/v1/track",
                                "{\"userId\": \"c-1\", \"event\": \"Product Viewed\","
                                        + " \"messageId\": \"seg-1\"}");
        assertThat(segment.status()).as("Segment ingest shares the quota").isEqualTo(429);
        assertThat(storedEvents(flooding[0])).as("nothing of the refused batches").isEqualTo(100);
        for (int i = 0; i < 3; i++) {
            assertThat(tenant(neighbour).post("/v1/events", batch("n" + i, 100)).status())
                    .isEqualTo(200);
        }
        assertThat(storedEvents(neighbour[0])).isEqualTo(300);
    }

    @Test
    void aTenantAtItsStoredEventsQuotaGets403AndNothingOfTheBatchIsStored() {
        String[] capped = Api.newTenant(APP.getLocalPort(), "capped");
        String[] neighbour = Api.newTenant(APP.getLocalPort(), "roomy");
        operator().put("/v1/operator/tenants/" + capped[0] + "/quotas", "{\"storedEvents\": 3}");

        assertThat(tenant(capped).post("/v1/events", batch("a", 2)).status()).isEqualTo(200);
        Api.Reply refused = tenant(capped).post("/v1/events", batch("b", 2));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("stored_events_quota_exceeded");
        assertThat(refused.json().get("retryable").asBoolean()).isFalse();
        assertThat(storedEvents(capped[0])).isEqualTo(2);
        Api.Reply replay = tenant(capped).post("/v1/events", batch("a", 2));
        assertThat(replay.status()).as("a replay adds nothing, so it is answered").isEqualTo(200);
        assertThat(replay.json().get("duplicates").asInt()).isEqualTo(2);
        Api.Reply identifyAndTrack =
                tenant(capped)
                        .post(
                                "/segment/v1/batch",
                                "{\"batch\": [{\"type\": \"identify\", \"userId\": \"new-1\","
                                        + " \"messageId\": \"i-1\"}, {\"type\": \"track\","
                                        + " \"userId\": \"new-1\", \"event\": \"Product Viewed\","
                                        + " \"messageId\": \"t-1\"}, {\"type\": \"track\","
                                        + " \"userId\": \"new-1\", \"event\": \"Product Viewed\","
                                        + " \"messageId\": \"t-2\"}]}");
        assertThat(identifyAndTrack.status()).isEqualTo(403);
        assertThat(tenant(capped).get("/v1/customers/new-1").status())
                .as("the identify of a refused Segment batch is not stored either")
                .isEqualTo(404);
        assertThat(tenant(capped).post("/v1/events", batch("c", 1)).status()).isEqualTo(200);
        assertThat(storedEvents(capped[0])).isEqualTo(3);
        assertThat(tenant(neighbour).post("/v1/events", batch("n", 50)).status()).isEqualTo(200);
    }

    @Test
    void aTenantPastItsTrainingQuotaIsToldToComeBackTomorrowAndItsNeighbourTrains() {
        String[] capped = Api.newTenant(APP.getLocalPort(), "trained-out");
        String[] neighbour = Api.newTenant(APP.getLocalPort(), "trainer");
        operator()
                .put(
                        "/v1/operator/tenants/" + capped[0] + "/quotas",
                        "{\"trainingSecondsPerDay\": 1}");
        TestApps.jdbi(APP)
                .useHandle(
                        handle ->
                                handle.execute(
                                        "INSERT INTO training_requests (tenant_id, request_id,"
                                                + " status, requested_at, started_at, finished_at)"
                                                + " VALUES (?, 'earlier', 'DONE', UTC_TIMESTAMP(3),"
                                                + " UTC_TIMESTAMP(3) - INTERVAL 0.5 SECOND,"
                                                + " UTC_TIMESTAMP(3) + INTERVAL 5 SECOND)",
                                        capped[0]));

        Api.Reply refused = tenant(capped).post("/v1/models/train", "");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("code").asText()).isEqualTo("training_quota_exceeded");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 86_400L);
        assertThat(tenant(neighbour).post("/v1/models/train", "").status()).isEqualTo(202);
    }
}
