package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.campaigns.sending.WorkerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.JdbcUrls;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a worker stopped while sending, a campaign shows its sends of unknown fate, even once it
 * completed, and a marketer decides over HTTP (API or dashboard, after a confirmation): resend
 * them, which a real sender then does, or close them, which sends nothing. Viewers and other
 * tenants change nothing. The outbox page shows each worker's last heartbeat and the tenant's sends
 * it has in flight.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnknownSendsIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);

    static final GreenMail RELAY =
            new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private static final String DEAD_WORKER = "worker-4242-deadbeef";

    private static Api api;
    private static Api viewer;
    private static Api other;
    private static String tenantId;
    private static String apiKey;
    private static String otherKey;
    private static Jdbi jdbi;
    private static SendLedger ledger;
    private static CampaignService campaigns;
    private static ExecutorService executor;

    @BeforeAll
    static void tenants() {
        RELAY.start();
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Crashed shop");
        tenantId = tenant[0];
        apiKey = tenant[1];
        api = new Api(APP.getLocalPort(), apiKey);
        otherKey = Api.newTenant(APP.getLocalPort(), "Other")[1];
        other = new Api(APP.getLocalPort(), otherKey);
        Api.Reply readKey = api.post("/v1/api-keys", "{\"scopes\": [\"read\"]}");
        assertThat(readKey.status()).as(readKey.body()).isEqualTo(201);
        viewer = new Api(APP.getLocalPort(), readKey.json().get("apiKey").asText());
        api.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@crashed.example\", \"fromName\": \"Crashed\","
                        + " \"postalAddress\": \"1 Crash St\"}");
        for (int i = 1; i <= 5; i++) {
            api.put(
                    "/v1/customers/c-" + i,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \"UTC\", \"emailConsent\":"
                            + " {\"status\": \"granted\", \"source\": \"test\"}}");
        }
        jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                JdbcUrls.forSender(DATABASE),
                                TestDatabase.user(),
                                TestDatabase.password()));
        Clock clock = Clock.systemUTC();
        ledger = new SendLedger(jdbi, clock, "mail.crashed.example");
        TenantService tenants = new TenantService(jdbi, clock);
        campaigns =
                new CampaignService(
                        jdbi, HilalJson.newMapper(), clock, tenants, composer(), ledger, t -> null);
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
        RELAY.stop();
    }

    private static EmailComposer composer() {
        return new EmailComposer(
                jdbi,
                new MailLinks(
                        TestApps.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "unsubscribe@hilal.example"));
    }

    /** A worker as the campaign worker runs one, sending to the test relay. */
    private static CampaignSender sender() {
        SmtpFactory smtp = new SmtpFactory();
        smtp.setPort(RELAY.getSmtp().getPort());
        smtp.setConnections(1);
        return new CampaignSender(
                jdbi,
                Clock.systemUTC(),
                ledger,
                campaigns,
                composer(),
                new TenantService(jdbi, Clock.systemUTC()),
                smtp.build(),
                t -> null,
                executor,
                new CampaignSender.Settings(
                        "worker-healthy",
                        2,
                        100,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        false,
                        0,
                        0));
    }

    /**
     * A campaign to the five customers, due now, launched over HTTP; a worker claimed two of its
     * sends and died before the relay answered; recovery marked them; a healthy worker sent the
     * rest, so the campaign completed with two sends of unknown fate.
     */
    private static String crashedAndCompleted() throws InterruptedException {
        String id =
                launched(
                        ZonedDateTime.now(ZoneOffset.UTC)
                                .minusMinutes(30)
                                .truncatedTo(ChronoUnit.MINUTES));
        SendLedger.Run run = new SendLedger.Run(tenantId, id, "run_1");
        assertThat(ledger.claim(run, "c-1", DEAD_WORKER)).isTrue();
        assertThat(ledger.claim(run, "c-2", DEAD_WORKER)).isTrue();
        CampaignSender sender = sender();
        sender.heartbeat();
        assertThat(sender.recover()).isEqualTo(2);
        assertThat(sender.sendDue(run).sent()).isEqualTo(3);
        assertThat(api.get("/v1/campaigns/" + id).json().get("status").asText())
                .isEqualTo("completed");
        return id;
    }

    /** A campaign to the five customers at {@code at} (sent now if past), launched over HTTP. */
    private static String launched(ZonedDateTime at) {
        Api.Reply created =
                api.post(
                        "/v1/campaigns",
                        "{\"name\": \"Crash test\", \"holdoutShare\": 0, \"offer\": {\"subject\":"
                                + " \"Hi\", \"html\": \"<p>Hi</p>\", \"text\": \"Hi\"},"
                                + " \"schedule\": {\"type\": \"at\", \"date\": \""
                                + at.toLocalDate()
                                + "\", \"localTime\": \""
                                + at.toLocalTime()
                                + "\", \"validFor\": \"P1D\", \"latePolicy\": \"send_now\"},"
                                + " \"limits\": {\"quietHours\": \"off\", \"frequencyCap\": {\"count\": 100,"
                                + " \"days\": 1}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.post("/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        return id;
    }

    @Test
    void theOutboxShowsEachWorkersLastHeartbeatAndTheTenantsSendsInFlight() {
        // Due in two days: no sender or recovery here touches it.
        String id =
                launched(
                        ZonedDateTime.now(ZoneOffset.UTC)
                                .plusDays(2)
                                .truncatedTo(ChronoUnit.MINUTES));
        SendLedger.Run run = new SendLedger.Run(tenantId, id, "run_1");
        jdbi.useExtension(
                WorkerDao.class,
                dao -> {
                    dao.heartbeat("worker-busy", Instant.now());
                    dao.heartbeat("worker-silent", Instant.now().minus(Duration.ofMinutes(5)));
                    // Past the workers' 10 s heartbeat timeout: its peers have taken over.
                    dao.heartbeat("worker-taken-over", Instant.now().minus(Duration.ofSeconds(15)));
                });
        assertThat(ledger.claim(run, "c-3", "worker-busy")).isTrue();
        assertThat(ledger.claim(run, "c-4", "worker-busy")).isTrue();

        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        browser.signInWithKey(apiKey);
        String page = browser.get("/dashboard/outbox").body();
        assertThat(row(page, "worker-busy")).contains("running").contains("<td data-in-flight>2<");
        assertThat(row(page, "worker-silent"))
                .contains("silent: stopped?")
                .contains("5 min ago")
                .contains("<td data-in-flight>0<");
        assertThat(row(page, "worker-taken-over")).contains("silent: stopped?");
        // The page says the limit it applies (the workers' heartbeat timeout), not another.
        assertThat(page).contains("one silent for more than 10 s has");

        // Another tenant sees the workers, not this tenant's sends.
        DashboardClient stranger = new DashboardClient(APP.getLocalPort());
        stranger.signInWithKey(otherKey);
        assertThat(row(stranger.get("/dashboard/outbox").body(), "worker-busy"))
                .contains("<td data-in-flight>0<");
    }

    /** The table row of one worker on the outbox page. */
    private static String row(String page, String workerId) {
        int start = page.indexOf("<tr data-worker=\"" + workerId + "\">");
        assertThat(start).as("a row for " + workerId).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    @Test
    void aCompletedCampaignShowsItsUnknownSendsAndAMarketerResendsThem() throws Exception {
        String id = crashedAndCompleted();
        int receivedBefore = RELAY.getReceivedMessages().length;

        JsonNode unknown = api.get("/v1/campaigns/" + id + "/unknown-sends").json();
        assertThat(unknown.get("sends").asLong()).isEqualTo(2);
        assertThat(unknown.at("/groups/0/worker").asText()).isEqualTo(DEAD_WORKER);
        assertThat(unknown.at("/groups/0/runId").asText()).isEqualTo("run_1");

        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        browser.signInWithKey(apiKey);
        assertThat(browser.get("/dashboard/campaigns").body()).contains("2 of unknown fate");
        String page = browser.get("/dashboard/campaigns/" + id).body();
        assertThat(page)
                .contains("2 sends of unknown fate")
                .contains(DEAD_WORKER)
                .contains("id=\"resend-unknown\"");

        // Neither a viewer nor another tenant can decide, and their attempts change nothing.
        assertThat(viewer.post("/v1/campaigns/" + id + "/unknown-sends/resend", null).status())
                .isEqualTo(403);
        Api.Reply foreign = other.post("/v1/campaigns/" + id + "/unknown-sends/resend", null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(other.get("/v1/campaigns/" + id + "/unknown-sends").status()).isEqualTo(404);
        assertThat(api.get("/v1/campaigns/" + id + "/unknown-sends").json().get("sends").asLong())
                .isEqualTo(2);

        Api.Reply resent = api.post("/v1/campaigns/" + id + "/unknown-sends/resend", null);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.json().get("decision").asText()).isEqualTo("resend");
        assertThat(resent.json().get("sends").asInt()).isEqualTo(2);
        assertThat(resent.json().at("/campaign/status").asText()).isEqualTo("scheduled");
        assertThat(api.get("/v1/campaigns/" + id + "/unknown-sends").json().get("sends").asLong())
                .isZero();

        CampaignSender sender = sender();
        sender.heartbeat();
        assertThat(sender.sendDue(new SendLedger.Run(tenantId, id, "run_1")).sent()).isEqualTo(2);
        assertThat(RELAY.getReceivedMessages()).hasSize(receivedBefore + 2);
        JsonNode ledgerCounts = api.get("/v1/campaigns/" + id + "/ledger").json();
        assertThat(ledgerCounts.at("/counts/SENT").asInt()).isEqualTo(5);
        assertThat(ledgerCounts.at("/counts/UNKNOWN_INFLIGHT").asInt()).isZero();
        assertThat(api.get("/v1/campaigns/" + id).json().get("status").asText())
                .isEqualTo("completed");
        assertThat(browser.get("/dashboard/campaigns/" + id).body())
                .doesNotContain("sends of unknown fate");
    }

    @Test
    void aMarketerClosesThemInTheDashboardAfterAConfirmationAndNothingIsSent() throws Exception {
        String id = crashedAndCompleted();
        int receivedBefore = RELAY.getReceivedMessages().length;
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        browser.signInWithKey(apiKey);

        HttpResponse<String> confirm =
                browser.get("/dashboard/campaigns/" + id + "/unknown-sends/confirm/close");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("Will close the 2 sends of unknown fate")
                .contains("id=\"confirm\"");
        assertThat(api.get("/v1/campaigns/" + id + "/unknown-sends").json().get("sends").asLong())
                .as("a confirmation page changes nothing")
                .isEqualTo(2);

        HttpResponse<String> closed =
                browser.post(
                        "/dashboard/campaigns/" + id + "/unknown-sends/close",
                        Map.of("csrf", DashboardClient.csrfOf(confirm.body())));
        assertThat(closed.statusCode()).isEqualTo(303);
        assertThat(closed.headers().firstValue("Location").orElseThrow())
                .endsWith("/dashboard/campaigns/" + id);

        assertThat(api.get("/v1/campaigns/" + id + "/unknown-sends").json().get("sends").asLong())
                .isZero();
        JsonNode ledgerCounts = api.get("/v1/campaigns/" + id + "/ledger").json();
        assertThat(ledgerCounts.at("/counts/UNKNOWN_INFLIGHT").asInt())
                .as("closed sends stay of unknown fate")
                .isEqualTo(2);
        assertThat(api.get("/v1/campaigns/" + id).json().get("status").asText())
                .isEqualTo("completed");
        CampaignSender sender = sender();
        sender.heartbeat();
        assertThat(sender.sendDue().sent()).isZero();
        assertThat(RELAY.getReceivedMessages()).hasSize(receivedBefore);
        // Closing twice is harmless.
        Api.Reply again = api.post("/v1/campaigns/" + id + "/unknown-sends/close", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("sends").asInt()).isZero();
    }
}
