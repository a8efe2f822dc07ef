package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.core.testing.TestSmtp;
import io.hilal.worker.testing.WorkerFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo's replay: the send job, fired by Quartz on the JDBC job store, runs once per replayed
 * hour with the clock moved in between, so each customer's 10:00 local time comes in turn, and
 * nothing of the replay stays in the job store.
 */
class ReplayedSendsIT {
    static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension static final GreenMailExtension RELAY = new GreenMailExtension(SMTP);

    /** A clock the test moves by hand, as the demo's. */
    private static final class ReplayClock extends Clock {
        private volatile Instant now = Instant.parse("2011-09-05T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theSendJobRunsOnceAReplayedHourAndEachCustomerGetsTheirLocalTen() throws Exception {
        String url = TestDatabase.newSchema();
        DataSource dataSource = SendWorkerProcess.pool(url);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(dataSource));
        ReplayClock clock = new ReplayClock();
        TenantService tenants = new TenantService(jdbi, clock);
        String tenantId = tenants.createTenant("Replay", "UTC").tenant().tenantId();
        Instant now = clock.instant();
        Map<String, String> zones =
                Map.of("c-utc", "UTC", "c-riyadh", "Asia/Riyadh", "c-ny", "America/New_York");
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        zones.forEach(
                (id, zone) ->
                        customers.add(
                                WorkerFixture.customer(id, id + "@example.invalid", zone, now)));
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, customers));
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        CampaignService campaigns = WorkerFixture.campaigns(jdbi, clock, ledger, tenantId);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Replayed",
                                null,
                                0.0,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                new CampaignRequest.Schedule(
                                        "at",
                                        LocalDate.parse("2011-09-06"),
                                        LocalTime.of(10, 0),
                                        null,
                                        null,
                                        null,
                                        null,
                                        "PT2H",
                                        null,
                                        null),
                                null));
        campaigns.launch(tenantId, campaign.id());
        SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), "run_1");

        CampaignSender sender = SendWorkerProcess.sender(jdbi, clock, SMTP.getPort(), "demo", 2);
        List<Instant> hours = new ArrayList<>();
        for (Instant at = Instant.parse("2011-09-06T00:00:00Z");
                at.isBefore(Instant.parse("2011-09-07T00:00:00Z"));
                at = at.plus(Duration.ofHours(1))) {
            hours.add(at);
        }
        List<Instant> moves = new ArrayList<>();
        ReplayedSends.replay(
                dataSource,
                sender,
                hours,
                at -> {
                    moves.add(at);
                    clock.now = at;
                    sender.heartbeat();
                });

        assertThat(moves).as("the clock moved once per firing, in order").isEqualTo(hours);
        assertThat(ledger.counts(run)).isEqualTo(Map.of("SENT", 3L));
        Map<String, Instant> sentAt = new TreeMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT customer_id, sent_at FROM campaign_sends"
                                                + " WHERE tenant_id = :t")
                                .bind("t", tenantId)
                                .map(
                                        (rs, ctx) ->
                                                sentAt.put(
                                                        rs.getString(1),
                                                        rs.getObject(2, LocalDateTime.class)
                                                                .toInstant(ZoneOffset.UTC)))
                                .list());
        assertThat(sentAt)
                .as("each sent in the replayed hour of their 10:00")
                .containsEntry("c-riyadh", Instant.parse("2011-09-06T07:00:00Z"))
                .containsEntry("c-utc", Instant.parse("2011-09-06T10:00:00Z"))
                .containsEntry("c-ny", Instant.parse("2011-09-06T14:00:00Z"));
        assertThat(RELAY.getReceivedMessages()).hasSize(3);
        long left =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT COUNT(*) FROM QRTZ_JOB_DETAILS"
                                                        + " WHERE SCHED_NAME = 'hilal-demo'")
                                        .mapTo(Long.class)
                                        .one());
        assertThat(left).as("the replay's job is gone from the job store").isZero();
        long heartbeats =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT COUNT(*) FROM campaign_workers"
                                                        + " WHERE worker_id = :worker")
                                        .bind("worker", sender.settings().workerId())
                                        .mapTo(Long.class)
                                        .one());
        assertThat(heartbeats)
                .as("no 2011 heartbeat of the replay is left for the dashboard's workers table")
                .isZero();
    }
}
