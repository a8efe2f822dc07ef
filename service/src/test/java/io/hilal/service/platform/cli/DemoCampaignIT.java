package io.hilal.service.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.sending.WorkerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The demo replays its 2011 campaign only when no campaign worker runs on its database: a worker on
 * today's clock would expire every replayed send as late (seen in a user pass: the demo then
 * reported 0 emails sent and its pages showed a broken run).
 */
class DemoCampaignIT {
    private final Jdbi jdbi =
            HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(TestDatabase.newSchema())));

    @Test
    void aWorkerThatBeatWithinTheMinuteIsRunningAndTheReplaysOwnOldHeartbeatIsNot() {
        Instant now = Instant.now();
        jdbi.useExtension(
                WorkerDao.class,
                dao -> {
                    dao.heartbeat("demo", Instant.parse("2011-09-06T10:00:00Z"));
                    dao.heartbeat("worker-stopped", now.minus(Duration.ofMinutes(5)));
                    dao.heartbeat("worker-live", now.minusSeconds(5));
                });

        assertThat(DemoCampaign.runningWorkers(jdbi, now)).containsExactly("worker-live");
    }

    @Test
    void withAWorkerRunningTheDemoSaysWhyAndNeitherCreatesNorSendsACampaign() throws Exception {
        String tenantId =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("Demo with a worker", "Europe/London")
                        .tenant()
                        .tenantId();
        jdbi.useExtension(WorkerDao.class, dao -> dao.heartbeat("worker-7", Instant.now()));
        List<String> printed = new ArrayList<>();

        var snapshot =
                DemoCampaign.run(
                        jdbi,
                        null,
                        (dataSource, sender, at, setClock) -> {
                            throw new AssertionError("the replay must not run");
                        },
                        null,
                        null,
                        "demo.example.invalid",
                        tenantId,
                        printed::add);

        assertThat(snapshot).isEmpty();
        assertThat(printed)
                .singleElement()
                .asString()
                .contains("Not replaying the demo's campaign", "worker-7", "Stop ./hilal worker");
        int campaigns =
                jdbi.withHandle(
                        h ->
                                h.createQuery("SELECT COUNT(*) FROM campaigns WHERE tenant_id = :t")
                                        .bind("t", tenantId)
                                        .mapTo(Integer.class)
                                        .one());
        assertThat(campaigns).isZero();
    }
}
