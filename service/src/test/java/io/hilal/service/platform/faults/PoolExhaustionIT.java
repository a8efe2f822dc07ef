package io.hilal.service.platform.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.errors.ProblemWriter;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Issue 24: every connection of the service's pool is held (by this test, as long requests would):
 * requests are answered a short, retryable 503 {@code database_busy} once the pool's wait is over,
 * logged as one line, and the pool's gauge shows it; once the connections return everything works
 * and the refused batch is stored whole when sent again, with nothing of it stored before.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PoolExhaustionIT {
    private static final int POOL = 2;

    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    ConfigOverride.config("database.maxConnections", Integer.toString(POOL)),
                    ConfigOverride.config("database.maxWaitMillis", "300"));

    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

    @BeforeAll
    static void capture() {
        LINES.start();
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).addAppender(LINES);
    }

    @AfterAll
    static void release() {
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).detachAppender(LINES);
    }

    @Test
    void aFullPoolAnswersARetryable503FastAndLosesNothing() throws SQLException {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "busy");
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        assertThat(api.post("/v1/events", batch("before")).json().get("accepted").asInt())
                .isEqualTo(2);

        DataSource pool = ((HilalApplication) APP.getApplication()).database().pool();
        List<Connection> held = new ArrayList<>();
        try {
            while (held.size() < pool.getMaxActive()) {
                held.add(pool.getConnection());
            }
            assertThat(poolGauge("active")).isEqualTo(POOL);

            List<Api.Reply> refused = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                refused.add(api.post("/v1/events", batch("during")));
            }
            refused.add(api.get("/v1/overview"));
            for (Api.Reply reply : refused) {
                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.contentType()).isEqualTo("application/problem+json");
                assertThat(reply.json().get("code").asText()).isEqualTo("database_busy");
                assertThat(reply.json().get("retryable").asBoolean()).isTrue();
                assertThat(reply.header("Retry-After")).isEqualTo("5");
                assertThat(reply.body()).doesNotContain("\tat ").doesNotContain("Exception");
            }
            // Nothing of the refused batch is stored (read past the app's pool).
            assertThat(storedIds(tenant[0])).containsExactlyInAnyOrder("before-1", "before-2");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }

        // Five refusals within the outage log's interval: one short line, no stack trace.
        List<ILoggingEvent> busyLines =
                LINES.list.stream()
                        .filter(line -> line.getFormattedMessage().contains("database_busy"))
                        .toList();
        assertThat(busyLines).hasSize(1);
        assertThat(busyLines.get(0).getThrowableProxy()).isNull();
        assertThat(busyLines.get(0).getFormattedMessage()).contains("PoolExhaustedException");

        Api.Reply retried = api.post("/v1/events", batch("during"));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(api.post("/v1/events", batch("during")).json().get("duplicates").asInt())
                .isEqualTo(2);
        assertThat(storedIds(tenant[0]))
                .containsExactlyInAnyOrder("before-1", "before-2", "during-1", "during-2");
        assertThat(orderLines(tenant[0])).isEqualTo(8);
        assertThat(poolGauge("active")).isZero();
    }

    /** Two orders of two lines each: two event rows and four order lines. */
    static String batch(String prefix) {
        StringBuilder events = new StringBuilder("{\"events\": [");
        for (int i = 1; i <= 2; i++) {
            events.append(i > 1 ? "," : "")
                    .append("{\"messageId\": \"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\", \"type\": \"order_completed\", \"customerId\": \"c-")
                    .append(i)
                    .append("\", \"timestamp\": \"2026-03-25T10:05:00Z\", \"orderId\": \"o-")
                    .append(prefix)
                    .append(i)
                    .append("\", \"lines\": [{\"productId\": \"p1\", \"quantity\": 2,")
                    .append(" \"unitPrice\": 9.5, \"currency\": \"USD\"},")
                    .append(" {\"productId\": \"p2\", \"quantity\": 1, \"unitPrice\": 3,")
                    .append(" \"currency\": \"USD\"}]}");
        }
        return events.append("]}").toString();
    }

    private static List<String> storedIds(String tenantId) {
        Jdbi jdbi = TestApps.jdbi(APP);
        return jdbi.withHandle(
                handle ->
                        handle.createQuery("SELECT message_id FROM events WHERE tenant_id = :t")
                                .bind("t", tenantId)
                                .mapTo(String.class)
                                .list());
    }

    private static int orderLines(String tenantId) {
        return TestApps.jdbi(APP)
                .withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT COUNT(*) FROM order_lines WHERE tenant_id"
                                                        + " = :t")
                                        .bind("t", tenantId)
                                        .mapTo(Integer.class)
                                        .one());
    }

    /** The pool's gauge as the admin port's Prometheus endpoint serves it. */
    private static double poolGauge(String state) {
        String text = new Api(APP.getAdminPort(), "none").get("/prometheus").body();
        Matcher value =
                Pattern.compile(
                                "(?m)^hilal_db_pool_connections\\{pool=\"main\",state=\""
                                        + state
                                        + "\"\\} (\\S+)$")
                        .matcher(text);
        assertThat(value.find()).as(text).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
