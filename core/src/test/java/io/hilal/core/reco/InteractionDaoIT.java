package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class InteractionDaoIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();

    @Test
    void streamsOrderLinesRefundsViewsAndRatingsOldestFirst() throws Exception {
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("t", "UTC")
                        .tenant()
                        .tenantId();
        new EventIngestService(jdbi, mapper, Clock.systemUTC())
                .ingest(
                        tenant,
                        List.of(
                                mapper.readTree(
                                        "{\"messageId\": \"1\", \"type\": \"product_viewed\", \"customerId\": \"c\","
                                                + " \"productId\": \"dates\", \"timestamp\": \"2026-01-01T00:00:00Z\"}"),
                                mapper.readTree(
                                        "{\"messageId\": \"2\", \"type\": \"order_completed\", \"customerId\": \"c\","
                                                + " \"orderId\": \"o\", \"timestamp\": \"2026-01-02T00:00:00Z\", \"lines\":"
                                                + " [{\"productId\": \"dates\", \"quantity\": 2, \"unitPrice\": 5,"
                                                + " \"currency\": \"SAR\"}]}"),
                                mapper.readTree(
                                        "{\"messageId\": \"3\", \"type\": \"order_refunded\", \"customerId\": \"c\","
                                                + " \"orderId\": \"o\", \"timestamp\": \"2026-01-03T00:00:00Z\", \"lines\":"
                                                + " [{\"productId\": \"dates\", \"quantity\": 1, \"unitPrice\": 5,"
                                                + " \"currency\": \"SAR\"}]}"),
                                mapper.readTree(
                                        "{\"messageId\": \"4\", \"type\": \"product_rated\", \"customerId\": \"c\","
                                                + " \"productId\": \"oud\", \"rating\": \"down\","
                                                + " \"timestamp\": \"2026-01-04T00:00:00Z\"}"),
                                mapper.readTree(
                                        "{\"messageId\": \"5\", \"type\": \"search\", \"customerId\": \"c\","
                                                + " \"query\": \"oud\", \"timestamp\": \"2026-01-05T00:00:00Z\"}")));
        List<InteractionDao.Interaction> seen = new ArrayList<>();
        new InteractionDao(jdbi)
                .stream(tenant, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"), seen::add);

        assertThat(seen)
                .extracting(InteractionDao.Interaction::type, InteractionDao.Interaction::quantity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("product_viewed", 1),
                        org.assertj.core.groups.Tuple.tuple("order_completed", 2),
                        org.assertj.core.groups.Tuple.tuple("order_refunded", -1),
                        org.assertj.core.groups.Tuple.tuple("product_rated", 1));
        assertThat(seen.get(3).rating()).isEqualTo("down");
        assertThat(seen.get(1).unitPrice()).isEqualByComparingTo("5");
    }
}
