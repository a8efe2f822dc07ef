package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.KillableDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database's process is killed (SIGKILL) under a running service that is taking events, and
 * started again on the same data: meanwhile ingest answers a retryable 503; afterwards the service
 * recovers by itself, and every event it acknowledged is stored, once. The server is this class's
 * own embedded MariaDB, not the shared test server, so killing it disturbs no other test.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseRestartIT {
    static final KillableDatabase DATABASE = KillableDatabase.start("db-restart");
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    DATABASE.url(),
                    DATABASE.user(),
                    DATABASE.password(),
                    ConfigOverride.config("rateLimit.enabled", "false"));

    @AfterAll
    static void stopDatabase() {
        DATABASE.close();
    }

    private static String batch(int number) {
        return IntStream.range(0, 10)
                .mapToObj(
                        i ->
                                "{\"messageId\": \"b"
                                        + number
                                        + "-"
                                        + i
                                        + "\", \"type\": \"search\", \"customerId\": \"c-"
                                        + i
                                        + "\", \"query\": \"dates\"}")
                .collect(Collectors.joining(",", "{\"events\": [", "]}"));
    }

    @Test
    void ingestAnswers503WhileTheDatabaseIsKilledAndLosesNoAcknowledgedEventAfterItsRestart()
            throws Exception {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "restart");
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger unavailable = new AtomicInteger();
        List<String> otherAnswers = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService client = Executors.newSingleThreadExecutor();
        // A client as the SDK behaves: a batch is sent again, unchanged, until it is answered 200.
        Future<?> sending =
                client.submit(
                        () -> {
                            for (int number = 0; running.get() && number < 100_000; ) {
                                Api.Reply reply = api.post("/v1/events", batch(number));
                                if (reply.status() == 200) {
                                    for (int i = 0; i < 10; i++) {
                                        acknowledged.add("b" + number + "-" + i);
                                    }
                                    number++;
                                } else if (reply.status() == 503
                                        && reply.json().get("retryable").asBoolean()
                                        && reply.contentType().equals("application/problem+json")) {
                                    unavailable.incrementAndGet();
                                } else {
                                    otherAnswers.add(reply.status() + " " + reply.body());
                                }
                            }
                            return null;
                        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 100);

            DATABASE.kill();
            await().atMost(Duration.ofSeconds(60)).until(() -> unavailable.get() >= 3);
            int beforeRestart = acknowledged.size();
            DATABASE.restart();

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> acknowledged.size() >= beforeRestart + 100);
        } finally {
            running.set(false);
            sending.get(60, TimeUnit.SECONDS);
            client.shutdown();
        }

        assertThat(otherAnswers).as("only 200s and retryable 503s").isEmpty();
        assertThat(storedMessageIds(tenant[0]))
                .as("every acknowledged event is stored, once")
                .containsAll(acknowledged)
                .doesNotHaveDuplicates();
        assertThat(adminStatus("/healthcheck")).isEqualTo(200);
    }

    private static List<String> storedMessageIds(String tenantId) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
                var statement =
                        connection.prepareStatement(
                                "SELECT message_id FROM events WHERE tenant_id = ?")) {
            statement.setString(1, tenantId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static int adminStatus(String path) {
        return new Api(APP.getAdminPort(), "none").get(path).status();
    }
}
