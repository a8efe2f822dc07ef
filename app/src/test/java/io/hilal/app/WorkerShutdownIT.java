package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hilal.core.campaigns.sending.WorkerLiveness;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Two campaign workers, each a JVM of its own as an operator runs it. The one stopped with SIGTERM
 * (an operator, a deployment, an orchestrator scaling down) leaves at once: when it has exited its
 * heartbeat row is gone, so peers and the dashboard's workers table never show it as a stale peer.
 * The one killed with SIGKILL runs no shutdown: its row stays, and peers report it as a stale peer
 * once its heartbeat times out, as before.
 */
class WorkerShutdownIT {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    /** No campaign is sent: no relay needed. */
    private static final int NO_RELAY = 2525;

    private static final Map<String, String> WORKER =
            Map.of(
                    "sending.heartbeatMillis",
                    "500",
                    "sending.heartbeatTimeoutMillis",
                    Long.toString(HEARTBEAT_TIMEOUT.toMillis()));

    @Test
    void aWorkerStoppedWithSigtermLeavesAtOnceAndAKilledOneIsReportedStale() {
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        // What any other worker's health check and recovery see.
        WorkerLiveness peer =
                new WorkerLiveness(jdbi, Clock.systemUTC(), "peer", HEARTBEAT_TIMEOUT);
        try (WorkerProcess stopped = WorkerProcess.start("stopped-sigterm", url, NO_RELAY, WORKER);
                WorkerProcess killed =
                        WorkerProcess.start("killed-sigkill", url, NO_RELAY, WORKER)) {
            assertThat(heartbeats(jdbi)).contains(stopped.workerId(), killed.workerId());

            stopped.stop();
            assertThat(heartbeats(jdbi))
                    .as("the stopped worker's heartbeat is gone as it exits")
                    .doesNotContain(stopped.workerId())
                    .contains(killed.workerId());

            killed.kill();
            assertThat(heartbeats(jdbi))
                    .as("a killed worker leaves its heartbeat behind")
                    .contains(killed.workerId());
            await("the killed worker is a stale peer once its heartbeat times out")
                    .atMost(HEARTBEAT_TIMEOUT.plusSeconds(10))
                    .until(() -> peer.stalePeers().contains(killed.workerId()));
            assertThat(peer.stalePeers()).doesNotContain(stopped.workerId());
        }
    }

    private static List<String> heartbeats(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery("SELECT worker_id FROM campaign_workers")
                                .mapTo(String.class)
                                .list());
    }
}
