package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an order sent again and a refund without lines do to a campaign's numbers, over HTTP: the
 * events go through {@code POST /v1/events}, the numbers are read from the funnel ({@code GET
 * /v1/campaigns/{id}/funnel}), the lift report and {@code /v1/overview}. Each test has a tenant of
 * its own and a second tenant holding the same customer and order ids, which must stay as it was.
 * The ledger was planned two days ago: five treated customers and two held out.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OrderRevenueIT {
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    ConfigOverride.config("lift.minCustomersPerArm", "2"),
                    ConfigOverride.config("lift.minBuyersPerArm", "1"));
    static final Instant SEND =
            Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
    static final int TREATED = 5;
    static final String TWO_BOXES = line("p-1", 2, "10.95");

    static Jdbi jdbi;

    /** A tenant whose campaign {@code eid} planned the same seven customers. */
    record Tenant(String id, Api api) {}

    @BeforeAll
    static void database() {
        jdbi = TestApps.jdbi(APP);
    }

    private static Tenant tenant(String name) {
        String[] created = Api.newTenant(APP.getLocalPort(), name);
        List<PlannedSend> sends = new ArrayList<>();
        for (String customer : List.of("12415", "t-2", "t-3", "t-4", "t-5")) {
            sends.add(new PlannedSend(customer, SEND, SEND.plus(Duration.ofDays(1)), false));
        }
        for (String customer : List.of("h-1", "h-2")) {
            sends.add(new PlannedSend(customer, SEND, SEND.plus(Duration.ofDays(1)), true));
        }
        new SendLedger(jdbi, Clock.systemUTC(), "test")
                .plan(new SendLedger.Run(created[0], "eid", "r1"), sends);
        Tenant tenant = new Tenant(created[0], new Api(APP.getLocalPort(), created[1]));
        // A held-out customer buys too, so the lift report has both arms to compare.
        assertAccepted(post(tenant, order("h-order", "h-1", "h-1-order", line("p-9", 1, "5"))));
        return tenant;
    }

    private static String line(String productId, int quantity, String unitPrice) {
        return "{\"productId\": \"%s\", \"quantity\": %d, \"unitPrice\": %s, \"currency\": \"GBP\"}"
                .formatted(productId, quantity, unitPrice);
    }

    private static String order(
            String messageId, String customerId, String orderId, String... lines) {
        return "{\"messageId\": \"%s\", \"type\": \"order_completed\", \"customerId\": \"%s\","
                        .formatted(messageId, customerId)
                + " \"orderId\": \"%s\", \"lines\": [%s]}"
                        .formatted(orderId, String.join(", ", lines));
    }

    private static String refund(
            String messageId, String customerId, String orderId, String... lines) {
        return "{\"messageId\": \"%s\", \"type\": \"order_refunded\", \"customerId\": \"%s\","
                        .formatted(messageId, customerId)
                + " \"orderId\": \"%s\"%s}"
                        .formatted(
                                orderId,
                                lines.length == 0
                                        ? ""
                                        : ", \"lines\": [" + String.join(", ", lines) + "]");
    }

    private static JsonNode post(Tenant tenant, String... events) {
        Api.Reply reply =
                tenant.api().post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static void assertAccepted(JsonNode answer) {
        assertThat(answer.get("accepted").asInt())
                .as(answer.toString())
                .isEqualTo(answer.get("results").size());
    }

    private static JsonNode result(JsonNode answer, int index) {
        return answer.get("results").get(index);
    }

    /** The funnel's treated arm over 30 days. */
    private static JsonNode treated(Tenant tenant) {
        Api.Reply reply = tenant.api().get("/v1/campaigns/eid/funnel?window=30");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("treated");
    }

    private static void assertTreated(Tenant tenant, long orders, String revenue) {
        JsonNode treated = treated(tenant);
        assertThat(treated.get("orders").asLong()).as(treated.toString()).isEqualTo(orders);
        assertThat(treated.get("revenue").decimalValue())
                .as(treated.toString())
                .isEqualByComparingTo(revenue);
    }

    /** The lift report's 30-day metrics, computed now. */
    private static JsonNode liftMetrics(Tenant tenant) {
        Api.Reply reply = tenant.api().post("/v1/campaigns/eid/lift?window=30", null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("metrics").isObject()).as(reply.body()).isTrue();
        return reply.json().get("metrics");
    }

    private static double treatedRevenuePerCustomer(Tenant tenant) {
        return liftMetrics(tenant).at("/revenuePerCustomer/unadjusted/treated").asDouble();
    }

    private static JsonNode overview(Tenant tenant) {
        return tenant.api().get("/v1/overview").json();
    }

    private static List<String> storedLines(Tenant tenant, String messageId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT CONCAT_WS(' ', order_id, product_id, quantity,"
                                                + " unit_price, currency) FROM order_lines"
                                                + " WHERE tenant_id = :tenant"
                                                + " AND message_id = :messageId ORDER BY line_no")
                                .bind("tenant", tenant.id())
                                .bind("messageId", messageId)
                                .mapTo(String.class)
                                .list());
    }

    @Test
    void anOrderSentAgainUnderANewMessageIdCountsOnceInTheFunnelTheLiftReportAndTheOverview() {
        Tenant shop = tenant("resent");
        Tenant other = tenant("other");
        // The other tenant has the very same order: it must neither shadow nor be touched.
        assertAccepted(post(other, order("ord-12415-now", "12415", "live-12415", TWO_BOXES)));
        assertAccepted(post(shop, order("ord-12415-now", "12415", "live-12415", TWO_BOXES)));
        assertTreated(shop, 1, "21.90");
        JsonNode before = overview(shop);

        JsonNode retry = post(shop, order("ord-12415-now-retry", "12415", "live-12415", TWO_BOXES));

        assertTreated(shop, 1, "21.90");
        JsonNode after = overview(shop);
        assertThat(after.get("orders").asLong()).isEqualTo(before.get("orders").asLong());
        assertThat(after.get("events").asLong()).isEqualTo(before.get("events").asLong());
        assertThat(result(retry, 0).get("status").asText()).isEqualTo("duplicate");
        assertThat(result(retry, 0).get("reason").asText())
                .contains("live-12415")
                .contains("ord-12415-now");
        assertThat(storedLines(shop, "ord-12415-now-retry")).isEmpty();
        JsonNode lift = liftMetrics(shop);
        assertThat(lift.at("/revenuePerCustomer/unadjusted/treated").asDouble())
                .isCloseTo(21.90 / TREATED, within(1e-9));
        assertThat(lift.at("/ordersPerCustomer/unadjusted/treated").asDouble())
                .isCloseTo(1.0 / TREATED, within(1e-9));

        // Sent twice in one batch: the second is the same order too.
        JsonNode twice =
                post(
                        shop,
                        order("o-2-a", "t-2", "o-2", line("p-2", 1, "4.00")),
                        order("o-2-b", "t-2", "o-2", line("p-2", 1, "4")));
        assertThat(result(twice, 0).get("status").asText()).isEqualTo("accepted");
        assertThat(result(twice, 1).get("status").asText()).isEqualTo("duplicate");
        // An order too big for one event comes in parts: each part's lines count, once.
        JsonNode parts =
                post(
                        shop,
                        order("big-1", "t-3", "big", line("p-3", 1, "3"), line("p-4", 2, "1")),
                        order("big-2", "t-3", "big", line("p-5", 1, "7")),
                        order("big-2-again", "t-3", "big", line("p-5", 1, "7")));
        assertThat(parts.get("results").findValuesAsText("status"))
                .containsExactly("accepted", "accepted", "duplicate");
        assertTreated(shop, 3, "37.90");

        assertTreated(other, 1, "21.90");
        assertThat(overview(other).get("orders").asLong()).isEqualTo(2);
    }

    @Test
    void anOrderSentByTenClientsAtOnceUnderTenMessageIdsIsStoredOnce() throws Exception {
        Tenant shop = tenant("racing");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<JsonNode>> posts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String messageId = "ord-12415-attempt-" + i;
                posts.add(
                        () ->
                                post(
                                        shop,
                                        order(messageId, "12415", "live-12415", TWO_BOXES),
                                        refund(messageId + "-refund", "12415", "live-12415")));
            }
            List<String> statuses = new ArrayList<>();
            for (Future<JsonNode> answer : pool.invokeAll(posts)) {
                statuses.addAll(answer.get().get("results").findValuesAsText("status"));
            }
            // One order and one whole refund of it; every other attempt finds them stored.
            assertThat(statuses).filteredOn("accepted"::equals).hasSize(2);
            assertThat(statuses).filteredOn("duplicate"::equals).hasSize(18);
        } finally {
            pool.shutdownNow();
        }
        assertTreated(shop, 1, "0.00");
        assertThat(overview(shop).get("events").asLong()).isEqualTo(1 + 2);
    }

    @Test
    void aRefundWithoutLinesRefundsWhatIsLeftOfItsOrderInTheFunnelAndTheLiftReport() {
        Tenant shop = tenant("refunded");
        Tenant other = tenant("other");
        assertAccepted(post(other, order("ord-12415-now", "12415", "live-12415", TWO_BOXES)));
        assertAccepted(
                post(
                        shop,
                        order("ord-12415-now", "12415", "live-12415", TWO_BOXES),
                        order("o-2", "t-2", "o-2", line("p-1", 3, "4.00"), line("p-2", 1, "10")),
                        refund("ref-2-part", "t-2", "o-2", line("p-1", 1, "4.00"))));
        assertTreated(shop, 2, "39.90");

        JsonNode whole =
                post(
                        shop,
                        "{\"messageId\":\"ref-12415\",\"type\":\"order_refunded\","
                                + "\"customerId\":\"12415\",\"orderId\":\"live-12415\"}");

        assertAccepted(whole);
        // The order still happened; its revenue went back.
        assertTreated(shop, 2, "18.00");
        assertThat(storedLines(shop, "ref-12415")).containsExactly("live-12415 p-1 -2 10.9500 GBP");
        assertThat(treatedRevenuePerCustomer(shop)).isCloseTo(18.0 / TREATED, within(1e-9));

        // After a refund of some lines, the rest of the order.
        assertAccepted(post(shop, refund("ref-2", "t-2", "o-2")));
        assertThat(storedLines(shop, "ref-2"))
                .containsExactly("o-2 p-1 -2 4.0000 GBP", "o-2 p-2 -1 10.0000 GBP");
        assertTreated(shop, 2, "0.00");
        assertThat(treatedRevenuePerCustomer(shop)).isCloseTo(0, within(1e-9));

        // The same refund sent again has nothing left to refund.
        JsonNode again = post(shop, refund("ref-12415-retry", "12415", "live-12415"));
        assertThat(result(again, 0).get("status").asText()).isEqualTo("duplicate");
        assertThat(result(again, 0).get("reason").asText()).contains("refunded in full");
        assertThat(storedLines(shop, "ref-12415-retry")).isEmpty();
        assertTreated(shop, 2, "0.00");

        assertTreated(other, 1, "21.90");
    }

    @Test
    void aRefundWithoutLinesOfAnOrderTheCustomerNeverPlacedIsRejectedAndChangesNothing() {
        Tenant shop = tenant("unknown");
        Tenant other = tenant("other");
        assertAccepted(post(other, order("elsewhere", "12415", "other-order", TWO_BOXES)));
        assertAccepted(post(shop, order("ord-12415-now", "12415", "live-12415", TWO_BOXES)));
        JsonNode before = overview(shop);

        JsonNode answer =
                post(
                        shop,
                        refund("ref-never", "12415", "never-placed"),
                        refund("ref-nobody", "nobody", "live-12415"),
                        refund("ref-other-customer", "t-2", "live-12415"),
                        refund("ref-other-tenant", "12415", "other-order"));

        assertThat(answer.get("rejected").asInt()).as(answer.toString()).isEqualTo(4);
        assertThat(answer.get("results").findValuesAsText("reason"))
                .allSatisfy(reason -> assertThat(reason).contains("names no order of customer"));
        JsonNode after = overview(shop);
        for (String count : List.of("customers", "orders", "events")) {
            assertThat(after.get(count).asLong()).as(count).isEqualTo(before.get(count).asLong());
        }
        assertTreated(shop, 1, "21.90");
        assertTreated(other, 1, "21.90");

        // A refund with lines stands on its own: it is recorded whatever order it names.
        assertAccepted(post(shop, refund("ref-c1", "12415", "C-1", line("p-1", 1, "10.95"))));
        assertTreated(shop, 1, "10.95");
        // An order and its refund may come in one batch.
        assertAccepted(
                post(
                        shop,
                        order("o-3", "t-3", "o-3", line("p-3", 1, "5")),
                        refund("ref-3", "t-3", "o-3")));
        assertTreated(shop, 2, "10.95");
    }
}
