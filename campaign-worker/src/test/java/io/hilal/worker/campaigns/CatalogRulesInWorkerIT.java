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
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.catalog.ProductUpsert;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerConfiguration;
import io.hilal.worker.testing.WorkerFixture;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker process itself honours the catalog as it is now: a product hidden after training
 * leaves the product block of the next campaign's emails, sent by the worker's own send job (its
 * Quartz schedule, its live catalog, its SMTP pool) and read back from the SMTP server.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CatalogRulesInWorkerIT {
    /** Started before the worker, on a port of its own choosing, which the worker is given. */
    static final GreenMail RELAY = relay();

    private static final String URL = TestDatabase.newSchema();

    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            WorkerFixture.worker(
                    URL,
                    ConfigOverride.config(
                            "smtp.port", () -> Integer.toString(RELAY.getSmtp().getPort())),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.checkinIntervalMillis", "1000"));

    static final List<String> SIDES = List.of("cups", "saucers", "spoons", "tray");

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
    void aProductHiddenAfterTrainingLeavesTheNextCampaignsEmails() throws Exception {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(URL)));
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        TenantService tenants = new TenantService(jdbi, clock);
        String tenantId = tenants.createTenant("Souq", "UTC").tenant().tenantId();
        ProductService products = new ProductService(jdbi, mapper, clock);
        products.upsert(tenantId, product("coffee", "Arabic coffee", "Food", false));
        products.upsert(tenantId, product("dates", "Ajwa dates", "Food", false));
        for (String side : SIDES) {
            products.upsert(tenantId, product(side, "Finjan " + side, "Home", false));
        }
        // Shoppers buy coffee with each side; the recipients bought dates only.
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        List<String> events = new ArrayList<>();
        for (int shopper = 0; shopper < 6; shopper++) {
            for (String side : SIDES) {
                events.add(
                        order(
                                side + "-" + shopper,
                                "shopper-" + shopper,
                                start.plusSeconds(86400L * shopper + SIDES.indexOf(side)),
                                "coffee",
                                side));
            }
        }
        Instant now = clock.instant();
        List<CustomerDao.CustomerRow> recipients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(order("dates-" + i, "guest-" + i, start, "dates"));
            recipients.add(
                    WorkerFixture.customer(
                            "guest-" + i, "guest" + i + "@example.invalid", "UTC", now));
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (String event : events) {
            nodes.add(mapper.readTree(event));
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenantId, nodes);
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, recipients));
        new TrainingService(
                        new RecommendationTrainer(jdbi),
                        new ModelStore(jdbi, clock),
                        new TenantService(jdbi, clock))
                .train(tenantId);
        CampaignService campaigns =
                WorkerFixture.campaigns(
                        jdbi, clock, new SendLedger(jdbi, clock, "mail.hilal.invalid"), tenantId);

        List<String> before = sent(campaigns, tenantId, "Before");

        assertThat(before)
                .hasSize(3)
                .allSatisfy(body -> assertThat(body).contains("Finjan spoons"));

        products.upsert(tenantId, product("spoons", "Finjan spoons", "Home", true));
        Instant hidden = clock.instant();
        // The promise: an email composed a refresh after the change never shows the product,
        // though the worker's catalog was last checked (by the campaign before) before it.
        await().until(() -> clock.instant().isAfter(hidden.plus(LiveCatalog.DEFAULT_REFRESH)));
        List<String> after = sent(campaigns, tenantId, "After");

        assertThat(after)
                .hasSize(3)
                .allSatisfy(
                        body ->
                                assertThat(body)
                                        .contains("Arabic coffee", "Finjan cups")
                                        .doesNotContain("Finjan spoons"));
    }

    /**
     * Launches a campaign with a product block that goes out at once, waits for the worker to
     * complete it, and returns the text of each email it sent.
     */
    private static List<String> sent(CampaignService campaigns, String tenantId, String name)
            throws MessagingException, IOException {
        Instant now = Clock.systemUTC().instant();
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                name,
                                null,
                                0.0,
                                new CampaignRequest.Offer(
                                        name,
                                        "<p>Hi</p>{{{productBlock}}}",
                                        "Hi\n{{productBlock}}",
                                        null,
                                        new CampaignRequest.ProductBlock("email", 5, 10)),
                                WorkerFixture.dueAnHourAgo(now),
                                new CampaignRequest.Limits(
                                        new CampaignRequest.FrequencyCap(10, 1),
                                        WorkerFixture.quietHoursLater(now),
                                        null,
                                        null)));
        campaigns.launch(tenantId, campaign.id());
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(campaigns.get(tenantId, campaign.id()).status())
                                        .isEqualTo(CampaignStatus.COMPLETED));
        // The relay may store the last message a moment after the worker saw it accepted.
        await().atMost(Duration.ofSeconds(10)).until(() -> withSubject(name).size() == 3);
        List<String> bodies = new ArrayList<>();
        for (MimeMessage message : withSubject(name)) {
            bodies.add(text(message));
        }
        return bodies;
    }

    /** The messages the relay received for the campaign of this subject (its name). */
    private static List<MimeMessage> withSubject(String subject) throws MessagingException {
        List<MimeMessage> messages = new ArrayList<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            if (subject.equals(message.getSubject())) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** Every text part of a message, decoded. */
    private static String text(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String text) {
            return text;
        }
        StringBuilder text = new StringBuilder();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                text.append(text(body)).append('\n');
            }
        }
        return text.toString();
    }

    private static ProductUpsert product(String id, String title, String category, boolean hidden) {
        return new ProductUpsert(
                id,
                title,
                List.of(category),
                new BigDecimal("12.50"),
                "SAR",
                null,
                null,
                hidden,
                "https://souq.example/img/" + id + ".jpg",
                "https://souq.example/p/" + id,
                Map.of());
    }

    private static String order(String id, String customer, Instant at, String... productIds) {
        List<String> lines = new ArrayList<>();
        for (String productId : productIds) {
            lines.add(
                    "{\"productId\": \""
                            + productId
                            + "\", \"quantity\": 1, \"unitPrice\": 10, \"currency\": \"SAR\"}");
        }
        return "{\"messageId\": \""
                + id
                + "\", \"type\": \"order_completed\", \"customerId\": \""
                + customer
                + "\", \"orderId\": \""
                + id
                + "\", \"timestamp\": \""
                + at
                + "\", \"lines\": ["
                + String.join(",", lines)
                + "]}";
    }
}
