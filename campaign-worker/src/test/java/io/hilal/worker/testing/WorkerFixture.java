package io.hilal.worker.testing;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
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
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * What the worker's integration tests share: the worker application on the shipped YAML and a test
 * schema, consenting customers, a marketer's campaign service (with the link secret the worker is
 * given and a sender identity) and a campaign schedule due an hour ago that goes out at launch.
 */
public final class WorkerFixture {
    /** The worker's link secret in every test, so that a test's links and the worker's agree. */
    public static final String LINK_SECRET = "test-link-secret-0123456789abcdef0123456789";

    private WorkerFixture() {}

    /**
     * The worker application on {@code config/campaign-worker.yml} and the schema at {@code
     * databaseUrl}: its admin port free, SMTP on 127.0.0.1, the test link secret, warnings only in
     * the log; {@code extra} adds or overrides settings (the SMTP port, poll intervals).
     */
    public static DropwizardAppExtension<CampaignWorkerConfiguration> worker(
            String databaseUrl, ConfigOverride... extra) {
        ConfigOverride[] base = {
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("smtp.host", "127.0.0.1"),
            ConfigOverride.config("database.url", databaseUrl),
            ConfigOverride.config("database.user", TestDatabase.user()),
            ConfigOverride.config("database.password", TestDatabase.password()),
            ConfigOverride.config("mailLinks.secret", LINK_SECRET),
            ConfigOverride.config("logging.level", "WARN")
        };
        return new DropwizardAppExtension<>(
                CampaignWorkerApplication.class,
                Path.of("..", "config", "campaign-worker.yml")
                        .toAbsolutePath()
                        .normalize()
                        .toString(),
                Stream.concat(Stream.of(base), Stream.of(extra)).toArray(ConfigOverride[]::new));
    }

    /** The links the worker signs with {@link #LINK_SECRET}. */
    public static MailLinks links() {
        return new MailLinks(
                LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                "https://hilal.example",
                "u@hilal.example");
    }

    /**
     * Stores {@code count} customers {@code c-0}, {@code c-1}, … with the addresses {@code
     * c0@example.invalid}, …, in UTC, who granted email consent.
     */
    public static void consentingCustomers(Jdbi jdbi, String tenantId, int count, Instant now) {
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            customers.add(customer("c-" + i, "c" + i + "@example.invalid", "UTC", now));
        }
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, customers));
    }

    /** A customer who granted email consent, as stored {@code now}. */
    public static CustomerDao.CustomerRow customer(
            String customerId, String email, String timeZone, Instant now) {
        return new CustomerDao.CustomerRow(
                customerId, email, timeZone, null, "granted", "test", now, null, now, now);
    }

    /**
     * The campaign service a tenant's marketer launches with, its emails composed with {@link
     * #links()} and no recommender; the tenant gets a sender identity, which a launch needs.
     */
    public static CampaignService campaigns(
            Jdbi jdbi, Clock clock, SendLedger ledger, String tenantId) {
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        new TenantService(jdbi, clock),
                        new EmailComposer(jdbi, links()),
                        ledger,
                        t -> null);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        return campaigns;
    }

    /**
     * A UTC schedule at the minute an hour before {@code now}, valid for a day, whose sends go out
     * at launch ({@link CampaignRequest#LATE_SEND_NOW}).
     */
    public static CampaignRequest.Schedule dueAnHourAgo(Instant now) {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        return new CampaignRequest.Schedule(
                "at",
                LocalDate.ofInstant(hourAgo, ZoneOffset.UTC),
                LocalTime.ofInstant(hourAgo, ZoneOffset.UTC).withSecond(0).withNano(0),
                null,
                null,
                null,
                null,
                "P1D",
                null,
                CampaignRequest.LATE_SEND_NOW);
    }

    /** Quiet hours far from {@code now} (six to seven hours later, UTC): they hold nothing back. */
    public static CampaignRequest.QuietHours quietHoursLater(Instant now) {
        LocalTime local = LocalTime.ofInstant(now, ZoneOffset.UTC);
        return new CampaignRequest.QuietHours(local.plusHours(6), local.plusHours(7));
    }
}
