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
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import io.hilal.worker.CampaignWorkerConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
            new DropwizardAppExtension<>(
                    CampaignWorkerApplication.class,
                    Path.of("..", "config", "campaign-worker.yml")
                            .toAbsolutePath()
                            .normalize()
                            .toString(),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("smtp.host", "127.0.0.1"),
                    ConfigOverride.config("database.url", URL),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config("mailLinks.secret", SendWorkerProcess.LINK_SECRET),
                    ConfigOverride.config("smtp.port", Integer.toString(SMTP_PORT)),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.checkinIntervalMillis", "1000"),
                    ConfigOverride.config("logging.level", "WARN"));

    @Test
    void aLaunchedCampaignIsSentByTheWorkersJobAndCompletes() {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(URL)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        String tenantId = tenants.createTenant("Souq", "UTC").tenant().tenantId();
        Instant now = clock.instant();
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            customers.add(
                    new CustomerDao.CustomerRow(
                            "c-" + i,
                            "c" + i + "@example.invalid",
                            "UTC",
                            null,
                            "granted",
                            "test",
                            now,
                            null,
                            now,
                            now));
        }
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, customers));
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.invalid");
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        tenants,
                        new EmailComposer(
                                jdbi,
                                new MailLinks(
                                        SendWorkerProcess.LINK_SECRET.getBytes(
                                                StandardCharsets.UTF_8),
                                        "https://hilal.example",
                                        "u@hilal.example")),
                        ledger,
                        t -> null);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        Instant hourAgo = now.minus(Duration.ofHours(1));
        LocalTime local = LocalTime.ofInstant(now, ZoneOffset.UTC);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Worker test",
                                null,
                                0.1,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                new CampaignRequest.Schedule(
                                        "at",
                                        LocalDate.ofInstant(hourAgo, ZoneOffset.UTC),
                                        LocalTime.ofInstant(hourAgo, ZoneOffset.UTC)
                                                .withSecond(0)
                                                .withNano(0),
                                        null,
                                        null,
                                        null,
                                        null,
                                        "P1D",
                                        null,
                                        CampaignRequest.LATE_SEND_NOW),
                                new CampaignRequest.Limits(
                                        null,
                                        new CampaignRequest.QuietHours(
                                                local.plusHours(6), local.plusHours(7)),
                                        null,
                                        null)));
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
