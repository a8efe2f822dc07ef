package io.hilal.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventIngestServiceIT {
    private static Jdbi jdbi;
    private static EventIngestService ingest;
    private static String tenantId;
    private static final ObjectMapper MAPPER = HilalJson.newMapper();

    @BeforeAll
    static void setUp() {
        jdbi = TestDatabase.newJdbi();
        ingest = new EventIngestService(jdbi, MAPPER, Clock.systemUTC());
        tenantId =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("shop", "UTC")
                        .tenant()
                        .tenantId();
    }

    private static JsonNode order(String messageId, String customerId) throws Exception {
        return MAPPER.readTree(
                """
                {"messageId": "%s", "type": "order_completed", "customerId": "%s",
                 "timestamp": "2026-03-25T10:05:00Z", "orderId": "o-%s",
                 "lines": [{"productId": "p1", "quantity": 2, "unitPrice": 9.5, "currency": "USD"}]}
                """
                        .formatted(messageId, customerId, messageId));
    }

    @Test
    void storesEachEventOnceWhenTwentyClientsPostTheSameBatch() throws Exception {
        List<JsonNode> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(order("race-" + i, "c-" + (i % 17)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<IngestResult>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> ingest.ingest(tenantId, batch));
            }
            int accepted = 0;
            for (Future<IngestResult> result : pool.invokeAll(calls)) {
                assertThat(result.get().rejected()).isZero();
                assertThat(result.get().accepted() + result.get().duplicates()).isEqualTo(200);
                accepted += result.get().accepted();
            }
            assertThat(accepted).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        long stored =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT COUNT(*) FROM events WHERE tenant_id = :t"
                                                        + " AND message_id LIKE 'race-%'")
                                        .bind("t", tenantId)
                                        .mapTo(Long.class)
                                        .one());
        long lines =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT COUNT(*) FROM order_lines WHERE tenant_id = :t"
                                                        + " AND message_id LIKE 'race-%'")
                                        .bind("t", tenantId)
                                        .mapTo(Long.class)
                                        .one());
        assertThat(stored).isEqualTo(200);
        assertThat(lines).isEqualTo(200);
    }

    @Test
    void rejectsOnlyTheBadEventOfABatch() throws Exception {
        List<JsonNode> batch =
                List.of(
                        order("mixed-1", "c-1"),
                        MAPPER.readTree(
                                "{\"messageId\": \"mixed-2\", \"type\": \"order_completed\","
                                        + " \"customerId\": \"c-1\"}"),
                        MAPPER.readTree(
                                "{\"messageId\": \"mixed-3\", \"type\": \"product_viewed\","
                                        + " \"customerId\": \"c-1\", \"productId\": \"p1\", \"colour\": 1}"));
        IngestResult result = ingest.ingest(tenantId, batch);
        assertThat(result.results())
                .extracting(EventResult::status)
                .containsExactly("accepted", "rejected", "rejected");
        assertThat(result.results().get(1).reason()).contains("orderId").contains("lines");
        assertThat(result.results().get(2).reason()).isEqualTo("unknown field 'colour'");
    }
}
