package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SendTimeArms;
import io.hilal.core.campaigns.SendTimeComparison;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import io.hilal.worker.CampaignWorkerConfiguration;
import io.hilal.worker.testing.WorkerFixture;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A campaign "at each customer's best time" goes out through the worker's own send job: customers
 * who always order in the current hour are emailed now, in that hour, while the random share kept
 * at the schedule's local time (midnight, already past, late policy skip) is not, so the two arms
 * really got different send times; the send-time comparison counts both arms.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BestTimeSendIT {
    static final GreenMail RELAY = relay();

    private static final String URL = TestDatabase.newSchema();
    private static final int CUSTOMERS = 16;

    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            new DropwizardAppExtension<>(
                    CampaignWorkerApplication.class,
                    Path.of("..", "config", "campaign-worker.yml")
                            .toAbsolutePath()
                            .normalize()
                            .toString(),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("smtp.host", "127.0.0.1"),
                    ConfigOverride.config(
                            "smtp.port", () -> Integer.toString(RELAY.getSmtp().getPort())),
                    ConfigOverride.config("database.url", URL),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config("mailLinks.secret", WorkerFixture.LINK_SECRET),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.checkinIntervalMillis", "1000"),
                    ConfigOverride.config("logging.level", "WARN"));

    private static GreenMail relay() {
        GreenMail relay = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        relay.start();
        return relay;
    }

    @AfterAll
    static void stopRelay() {
        RELAY.stop();
    }

    @Test
    void sendsEachCustomerAtTheirBestHourAndKeepsTheComparisonShareAtTheLocalTime()
            throws Exception {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(URL)));
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        TenantService tenants = new TenantService(jdbi, clock);
        String tenantId = tenants.createTenant("Souq", "UTC").tenant().tenantId();
        Instant now = clock.instant();
        int hour = now.atZone(ZoneOffset.UTC).getHour();
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        List<JsonNode> orders = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
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
            // Every one of them orders in this hour of the day, day after day.
            for (int day = 1; day <= 4; day++) {
                Instant at =
                        now.atZone(ZoneOffset.UTC).minusDays(day).withMinute(day * 10).toInstant();
                orders.add(
                        mapper.readTree(
                                "{\"messageId\": \"o-"
                                        + i
                                        + "-"
                                        + day
                                        + "\", \"type\": \"order_completed\", \"customerId\":"
                                        + " \"c-"
                                        + i
                                        + "\", \"orderId\": \"o-"
                                        + i
                                        + "-"
                                        + day
                                        + "\", \"timestamp\": \""
                                        + at
                                        + "\", \"lines\": [{\"productId\": \"dates\","
                                        + " \"quantity\": 1, \"unitPrice\": 10, \"currency\":"
                                        + " \"SAR\"}]}"));
            }
        }
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, customers));
        new EventIngestService(jdbi, mapper, clock).ingest(tenantId, orders);
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.invalid");
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        mapper,
                        clock,
                        tenants,
                        new EmailComposer(
                                jdbi,
                                new MailLinks(
                                        WorkerFixture.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                                        "https://hilal.example",
                                        "u@hilal.example")),
                        ledger,
                        t -> null);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Best time",
                                null,
                                0.0,
                                new CampaignRequest.Offer(
                                        "Best time", "<p>Hi</p>", "Hi", null, null),
                                new CampaignRequest.Schedule(
                                        "at",
                                        LocalDate.ofInstant(now, ZoneOffset.UTC),
                                        // Today's midnight, always past: the local-time share
                                        // is skipped (late policy skip), the best hours are not.
                                        LocalTime.MIDNIGHT,
                                        null,
                                        null,
                                        null,
                                        null,
                                        "P1D",
                                        null,
                                        CampaignRequest.LATE_SKIP,
                                        CampaignRequest.BEST_TIME,
                                        0.5),
                                new CampaignRequest.Limits(
                                        null,
                                        new CampaignRequest.QuietHours(
                                                LocalTime.of((hour + 3) % 24, 0),
                                                LocalTime.of((hour + 4) % 24, 0)),
                                        null,
                                        null)));
        campaigns.launch(tenantId, campaign.id());
        String salt =
                jdbi.withExtension(CampaignDao.class, dao -> dao.find(tenantId, campaign.id()))
                        .orElseThrow()
                        .salt();
        SendTimeArms arms = new SendTimeArms(salt, 0.5);
        Set<String> bestTime = new HashSet<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            if (!arms.fixedTime("c-" + i)) {
                bestTime.add("c" + i + "@example.invalid");
            }
        }
        assertThat(bestTime).isNotEmpty().hasSizeLessThan(CUSTOMERS);

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(campaigns.get(tenantId, campaign.id()).status())
                                        .isEqualTo(CampaignStatus.COMPLETED));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RELAY.getReceivedMessages().length == bestTime.size());
        Set<String> recipients = new HashSet<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            recipients.add(message.getRecipients(Message.RecipientType.TO)[0].toString());
            // Sent in the customers' best hour, the hour they always order in.
            assertThat(message.getSentDate().toInstant().atZone(ZoneOffset.UTC).getHour())
                    .isIn(hour, (hour + 1) % 24);
        }
        assertThat(recipients).isEqualTo(bestTime);
        SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), "run_1");
        assertThat(ledger.counts(run))
                .containsEntry("SENT", (long) bestTime.size())
                .containsEntry("EXPIRED", (long) (CUSTOMERS - bestTime.size()));

        SendTimeComparison.Report report =
                new SendTimeComparison(jdbi, mapper, clock, LiftReportService.Options.defaults())
                        .compare(tenantId, campaign.id(), 30);
        assertThat(report.bestTime().customers()).isEqualTo(bestTime.size());
        assertThat(report.fixedTime().customers()).isEqualTo(CUSTOMERS - bestTime.size());
        // Far below the lift report's minimum group sizes: no difference is claimed.
        assertThat(report.notEnoughData()).isNotNull();
        assertThat(report.orderRate()).isNull();
    }
}
