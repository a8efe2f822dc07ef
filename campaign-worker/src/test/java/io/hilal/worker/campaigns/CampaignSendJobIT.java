package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerConfiguration;
import io.hilal.worker.testing.WorkerFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker application sends a launched campaign through its clustered send job. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignSendJobIT {
    private static final int SMTP_PORT = 18311;

    @RegisterExtension
    static final GreenMailExtension RELAY =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

    private static final String URL = TestDatabase.newSchema();

    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            WorkerFixture.worker(
                    URL,
                    ConfigOverride.config("smtp.port", Integer.toString(SMTP_PORT)),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.checkinIntervalMillis", "1000"));

    @Test
    void aLaunchedCampaignIsSentByTheWorkersJobAndCompletes() {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(URL)));
        Clock clock = Clock.systemUTC();
        String tenantId =
                new TenantService(jdbi, clock).createTenant("Souq", "UTC").tenant().tenantId();
        Instant now = clock.instant();
        WorkerFixture.consentingCustomers(jdbi, tenantId, 30, now);
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.invalid");
        CampaignService campaigns = WorkerFixture.campaigns(jdbi, clock, ledger, tenantId);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Worker test",
                                null,
                                0.1,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                WorkerFixture.dueAnHourAgo(now),
                                new CampaignRequest.Limits(
                                        null, WorkerFixture.quietHoursLater(now), null, null)));
        campaigns.launch(tenantId, campaign.id());
        SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), "run_1");
        long heldOut = ledger.counts(run).getOrDefault("HELD_OUT", 0L);

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(campaigns.get(tenantId, campaign.id()).status())
                                        .isEqualTo(CampaignStatus.COMPLETED));
        assertThat(ledger.counts(run)).containsEntry("SENT", 30 - heldOut);
        assertThat(RELAY.getReceivedMessages()).hasSize((int) (30 - heldOut));
    }
}
