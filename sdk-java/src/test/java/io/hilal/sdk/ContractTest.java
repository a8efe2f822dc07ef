package io.hilal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.internal.Json;
import io.hilal.sdk.model.Campaign;
import io.hilal.sdk.model.EmailConsent;
import io.hilal.sdk.model.LiftReport;
import io.hilal.sdk.model.Page;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's half of the contract with the service: for every exchange in the repository's {@code
 * contract/} folder, the SDK call built from typed params must send exactly the fixture's request,
 * and the fixture's answer must read into the SDK's types without losing a field (written back, it
 * is the same JSON). The service's {@code ContractIT} plays the same files against the real
 * service.
 */
class ContractTest {
    static final Path CONTRACT = Path.of("..", "contract").toAbsolutePath().normalize();
    static final ObjectMapper PLAIN = new ObjectMapper();
    static final ObjectMapper SDK = Json.newMapper();
    static final String KEY = "hk_live_0123456789abcdef_" + "c".repeat(64);

    /** Numbers compare by value: 9.5 and 9.50 are the same price. */
    static final Comparator<JsonNode> BY_VALUE =
            (a, b) -> {
                if (a.isNumber() && b.isNumber()) {
                    return a.decimalValue().compareTo(b.decimalValue());
                }
                return a.equals(b) ? 0 : 1;
            };

    private MockWebServer server;
    private HilalClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = HilalClient.builder(KEY).endpoint(server.url("/").uri()).maxAttempts(1).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    /** Answers with the fixture's response and returns the fixture. */
    private JsonNode play(String name) throws IOException {
        JsonNode fixture = PLAIN.readTree(CONTRACT.resolve(name + ".json").toFile());
        JsonNode response = fixture.get("response");
        server.enqueue(
                new MockResponse()
                        .setResponseCode(response.get("status").asInt())
                        .setHeader(
                                "Content-Type",
                                response.path("contentType").asText("application/json"))
                        .setBody(response.get("body").toString()));
        return fixture;
    }

    /** The request the SDK sent must be the fixture's: method, path, query and body. */
    private void assertSentAsInContract(JsonNode fixture) throws Exception {
        JsonNode expected = fixture.get("request");
        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getMethod()).isEqualTo(expected.get("method").asText());
        HttpUrl url = sent.getRequestUrl();
        assertThat(url.encodedPath()).isEqualTo(expected.get("path").asText());
        Map<String, String> query = new HashMap<>();
        for (String name : url.queryParameterNames()) {
            query.put(name, url.queryParameter(name));
        }
        Map<String, String> expectedQuery = new HashMap<>();
        expected.path("query")
                .properties()
                .forEach(e -> expectedQuery.put(e.getKey(), e.getValue().asText()));
        assertThat(query).isEqualTo(expectedQuery);
        if (expected.has("body")) {
            JsonNode body = PLAIN.readTree(sent.getBody().readUtf8());
            assertThat(body.equals(BY_VALUE, expected.get("body")))
                    .as("sent %s%nthe contract has %s", body, expected.get("body"))
                    .isTrue();
        } else {
            assertThat(sent.getBodySize()).isZero();
        }
    }

    /** The answer read into SDK types and written back must be the fixture's answer. */
    private static void assertReadsWithoutLoss(JsonNode fixture, Object answer) throws IOException {
        JsonNode expected = fixture.at("/response/body");
        JsonNode roundTrip = PLAIN.readTree(SDK.writeValueAsBytes(answer));
        assertThat(roundTrip.equals(BY_VALUE, expected))
                .as("read back as %s%nthe contract has %s", roundTrip, expected)
                .isTrue();
    }

    @Test
    void upsertsProductsInABatch() throws Exception {
        JsonNode fixture = play("products-batch");
        var results =
                client.upsertProducts(
                        List.of(
                                ProductParams.builder("coffee-qahwa")
                                        .title("Arabic coffee 250 g")
                                        .categories("Food", "Coffee")
                                        .price(new BigDecimal("7.25"), "USD")
                                        .build(),
                                ProductParams.builder("finjan-cups")
                                        .title("Finjan cups, set of 6")
                                        .categories("Home", "Tableware")
                                        .price(new BigDecimal("18"), "USD")
                                        .stock(12)
                                        .build(),
                                ProductParams.builder("bad-price")
                                        .title("Broken")
                                        .price(new BigDecimal("-1"), "USD")
                                        .build()));
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, Map.of("results", results));
        assertThat(results.get(2).rejected()).isTrue();
    }

    @Test
    void upsertsAProductWithEveryField() throws Exception {
        JsonNode fixture = play("product-upsert");
        var product =
                client.upsertProduct(
                        ProductParams.builder("dates-ajwa")
                                .title("Ajwa dates 1 kg")
                                .categories("Food", "Dates")
                                .price(new BigDecimal("9.5"), "USD")
                                .available(true)
                                .stock(40)
                                .hidden(false)
                                .imageUrl("https://shop.example.com/img/ajwa.jpg")
                                .url("https://shop.example.com/p/ajwa")
                                .attribute("origin", "Madinah")
                                .attribute("organic", true)
                                .build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, product);
        assertThat(product.category()).isEqualTo("Dates");
    }

    @Test
    void upsertsCustomersInABatch() throws Exception {
        JsonNode fixture = play("customers-batch");
        var results =
                client.upsertCustomers(
                        List.of(
                                CustomerParams.builder("c-7")
                                        .email("omar@example.com")
                                        .timeZone("Asia/Dubai")
                                        .build(),
                                CustomerParams.builder("c-8").email("not-an-email").build()));
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, Map.of("results", results));
    }

    private static CustomerParams amina() {
        return CustomerParams.builder("c-42")
                .email("amina@example.com")
                .timeZone("Asia/Riyadh")
                .locale("ar-SA")
                .emailConsent(
                        EmailConsent.granted("checkout").at(Instant.parse("2026-03-01T09:00:00Z")))
                .attribute("tier", "gold")
                .attribute("kids", 2)
                .build();
    }

    @Test
    void upsertsACustomerWithEveryField() throws Exception {
        JsonNode fixture = play("customer-upsert");
        var customer = client.upsertCustomer(amina());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, customer);
        assertThat(customer.emailConsent().granted()).isTrue();
    }

    @Test
    void readsACustomer() throws Exception {
        JsonNode fixture = play("customer-get");
        var customer = client.customer("c-42");
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, customer);
    }

    @Test
    void sendsEveryKindOfEventAndReportsEachResult() throws Exception {
        JsonNode fixture = play("events-batch");
        Map<String, String> outcomes = new ConcurrentHashMap<>();
        List<Event> events =
                List.of(
                        Event.orderCompleted("c-42", "o-1")
                                .messageId("evt-1")
                                .timestamp(Instant.parse("2026-09-01T10:00:00Z"))
                                .line("dates-ajwa", 2, new BigDecimal("9.5"), "USD")
                                .line("coffee-qahwa", 1, new BigDecimal("7.25"), "USD")
                                .context("device", "mobile")
                                .context("channel", "web")
                                .context("locale", "ar-SA")
                                .context("sessionId", "s-1")
                                .build(),
                        Event.orderCompleted("c-42", "o-2")
                                .messageId("evt-2")
                                .timestamp(Instant.parse("2026-10-01T10:00:00Z"))
                                .line("dates-ajwa", 1, new BigDecimal("9.5"), "USD")
                                .build(),
                        Event.orderCompleted("c-7", "o-3")
                                .messageId("evt-3")
                                .timestamp(Instant.parse("2026-10-05T08:30:00Z"))
                                .line("dates-ajwa", 1, new BigDecimal("9.5"), "USD")
                                .line("coffee-qahwa", 2, new BigDecimal("7.25"), "USD")
                                .line("finjan-cups", 1, new BigDecimal("18"), "USD")
                                .build(),
                        Event.orderRefunded("c-7", "o-3")
                                .messageId("evt-4")
                                .timestamp(Instant.parse("2026-10-07T12:00:00Z"))
                                .line("coffee-qahwa", 1, new BigDecimal("7.25"), "USD")
                                .build(),
                        Event.productViewed(null, "finjan-cups")
                                .anonymousId("anon-5")
                                .messageId("evt-5")
                                .timestamp(Instant.parse("2026-10-08T09:00:00Z"))
                                .context("userAgent", "Mozilla/5.0")
                                .context("ip", "192.0.2.1")
                                .build(),
                        Event.productAddedToCart("c-42", "finjan-cups")
                                .messageId("evt-6")
                                .timestamp(Instant.parse("2026-10-08T09:01:00Z"))
                                .build(),
                        Event.search("c-42", "sukkari dates")
                                .messageId("evt-7")
                                .timestamp(Instant.parse("2026-10-08T09:02:00Z"))
                                .build(),
                        Event.rated("c-42", "coffee-qahwa", true)
                                .messageId("evt-8")
                                .timestamp(Instant.parse("2026-10-08T09:03:00Z"))
                                .build(),
                        Event.custom("wishlist_shared", "c-42")
                                .messageId("evt-9")
                                .timestamp(Instant.parse("2026-10-08T09:04:00Z"))
                                .property("items", 3)
                                .property("network", "whatsapp")
                                .context("campaignId", "eid-2026")
                                .build(),
                        Event.orderCompleted("c-42", "o-10")
                                .messageId("evt-10")
                                .timestamp(Instant.parse("2026-10-09T10:00:00Z"))
                                .build());
        try (HilalClient events10 =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(events.size())
                        .callback(
                                new Callback() {
                                    @Override
                                    public void accepted(Event event) {
                                        outcomes.put(event.messageId(), "accepted");
                                    }

                                    @Override
                                    public void rejected(Event event, String reason) {
                                        outcomes.put(event.messageId(), "rejected");
                                    }
                                })
                        .build()) {
            for (Event event : events) {
                events10.track(event);
            }
            events10.flush();
        }
        assertSentAsInContract(fixture);
        for (JsonNode result : fixture.at("/response/body/results")) {
            assertThat(outcomes)
                    .containsEntry(result.get("messageId").asText(), result.get("status").asText());
        }
    }

    @Test
    void readsRows() throws Exception {
        JsonNode fixture = play("rows");
        var rows =
                client.rows("c-42", RowsParams.builder().context("home").rows(3).perRow(5).build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, rows);
    }

    @Test
    void readsFilteredRecommendations() throws Exception {
        JsonNode fixture = play("recommendations");
        var recommendations =
                client.recommendations(
                        "c-42",
                        RecommendationsParams.builder()
                                .limit(5)
                                .category("Tableware")
                                .exclude("dates-ajwa", "coffee-qahwa")
                                .build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, recommendations);
    }

    @Test
    void readsSimilarProducts() throws Exception {
        JsonNode fixture = play("similar-products");
        var similar =
                client.similarProducts(
                        "dates-ajwa", SimilarProductsParams.builder().limit(5).build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, similar);
    }

    @Test
    void turnsAValidationProblemIntoATypedException() throws Exception {
        JsonNode fixture = play("problem-validation");
        JsonNode problem = fixture.at("/response/body");
        assertThatThrownBy(
                        () ->
                                client.upsertCustomer(
                                        CustomerParams.builder("c-bad")
                                                .email("not-an-email")
                                                .emailConsent(
                                                        new EmailConsent("maybe", "checkout", null))
                                                .build()))
                .isInstanceOfSatisfying(
                        HilalException.InvalidRequestException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(problem.get("status").asInt());
                            assertThat(e.code()).isEqualTo(problem.get("code").asText());
                            assertThat(e.getMessage()).isEqualTo(problem.get("detail").asText());
                            assertThat(e.requestId()).isEqualTo(problem.get("requestId").asText());
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.errors())
                                    .extracting(HilalException.FieldError::field)
                                    .containsExactly("email", "emailConsent.status");
                        });
        assertSentAsInContract(fixture);
    }

    @Test
    void turnsANotFoundProblemIntoATypedException() throws Exception {
        JsonNode fixture = play("problem-not-found");
        assertThatThrownBy(() -> client.customer("nobody"))
                .isInstanceOfSatisfying(
                        HilalException.NotFoundException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo("not_found");
                            assertThat(e.requestId())
                                    .isEqualTo(fixture.at("/response/body/requestId").asText());
                        });
        assertSentAsInContract(fixture);
    }

    static final String CAMPAIGN = "cmp_0123456789abcdef01234567";

    @Test
    void createsACampaignWithEveryField() throws Exception {
        JsonNode fixture = play("campaign-create");
        var campaign =
                client.createCampaign(
                        CampaignParams.builder("Eid restock")
                                .audience(
                                        CampaignParams.audienceBuilder()
                                                .boughtCategory(
                                                        "Dates",
                                                        LocalDate.of(2025, 1, 1),
                                                        LocalDate.of(2026, 12, 31))
                                                .lastOrderMoreThanDaysAgo(0)
                                                .spentAtLeast(new BigDecimal("5"))
                                                .locales("ar")
                                                .timeZones("Asia/Riyadh")
                                                .build())
                                .holdoutShare(0)
                                .offer(
                                        "Eid Mubarak!",
                                        "<p>Eid Mubarak! Use {{couponCode}}</p>{{{productBlock}}}",
                                        "Eid Mubarak! Use {{couponCode}}\n{{productBlock}}")
                                .couponCode("EID10")
                                .products("email", 1, 3)
                                .scheduleAt(LocalDate.of(2030, 3, 10), LocalTime.of(10, 0))
                                .validFor(Duration.ofDays(3))
                                .frequencyCap(3, 7)
                                .quietHours(LocalTime.of(22, 0), LocalTime.of(7, 30))
                                .dailyCap(5000)
                                .perSecond(20)
                                .build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, campaign);
        assertThat(campaign.status()).isEqualTo(Campaign.DRAFT);
        assertThat(campaign.schedule().localTime()).isEqualTo(LocalTime.of(10, 0));
    }

    @Test
    void previewsACampaignForOneCustomer() throws Exception {
        JsonNode fixture = play("campaign-preview");
        var preview = client.previewCampaign(CAMPAIGN, "c-42", RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, preview);
        assertThat(preview.email().headers()).containsKey("List-Unsubscribe");
    }

    @Test
    void launchesACampaign() throws Exception {
        JsonNode fixture = play("campaign-launch");
        var campaign = client.launchCampaign(CAMPAIGN);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, campaign);
        assertThat(campaign.status()).isEqualTo(Campaign.SCHEDULED);
    }

    @Test
    void listsCampaigns() throws Exception {
        JsonNode fixture = play("campaigns-list");
        Page<Campaign> page =
                client.campaigns(
                        CampaignListParams.builder().status("scheduled").limit(10).build());
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, page);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void readsACampaignsLedger() throws Exception {
        JsonNode fixture = play("campaign-ledger");
        var ledger = client.campaignLedger(CAMPAIGN);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, ledger);
        assertThat(ledger.runs().get(0).counts()).containsEntry("PLANNED", 1L);
    }

    @Test
    void readsALiftReportWithoutEnoughData() throws Exception {
        JsonNode fixture = play("campaign-lift");
        var report = client.liftReport(CAMPAIGN, 30);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, report);
        assertThat(report.status()).isEqualTo(LiftReport.NOT_ENOUGH_DATA);
        assertThat(report.hasEstimates()).isFalse();
        assertThat(report.sampleRatioMismatch()).isFalse();
    }

    @Test
    void setsTheProgramHoldout() throws Exception {
        JsonNode fixture = play("program-holdout-set");
        var holdout = client.campaigns().updateProgramHoldout(0.1, RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, holdout);
        assertThat(holdout.on()).isTrue();
        assertThat(holdout.share()).isEqualTo(0.1);
    }

    @Test
    void readsTheProgramHoldout() throws Exception {
        JsonNode fixture = play("program-holdout-get");
        var holdout = client.campaigns().programHoldout(RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, holdout);
        assertThat(holdout.startedAt()).isNotNull();
    }

    @Test
    void readsTheProgramReport() throws Exception {
        JsonNode fixture = play("program-holdout-report");
        var report = client.campaigns().programReport(RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, report);
        assertThat(report.latest().notEnoughData()).isNotEmpty();
        assertThat(report.latest().orderRate()).isNull();
        assertThat(report.overTime()).hasSize(1);
    }

    @Test
    void readsACampaignsSendsOfUnknownFate() throws Exception {
        JsonNode fixture = play("campaign-unknown-sends");
        var unknown = client.campaigns().unknownSends(CAMPAIGN, RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, unknown);
        assertThat(unknown.sends()).isZero();
        assertThat(unknown.groups()).isEmpty();
    }

    @Test
    void resendsACampaignsSendsOfUnknownFate() throws Exception {
        JsonNode fixture = play("campaign-unknown-sends-resend");
        var decision = client.campaigns().resendUnknownSends(CAMPAIGN, RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, decision);
        assertThat(decision.decision()).isEqualTo("resend");
        assertThat(decision.campaign().id()).isEqualTo(CAMPAIGN);
    }

    @Test
    void closesACampaignsSendsOfUnknownFate() throws Exception {
        JsonNode fixture = play("campaign-unknown-sends-close");
        var decision = client.campaigns().closeUnknownSends(CAMPAIGN, RequestOptions.DEFAULT);
        assertSentAsInContract(fixture);
        assertReadsWithoutLoss(fixture, decision);
        assertThat(decision.decision()).isEqualTo("close");
        assertThat(decision.campaign().status()).isEqualTo(Campaign.SCHEDULED);
    }

    @Test
    void everyFixtureInTheFolderHasATestHere() throws IOException {
        List<String> covered =
                Stream.of(ContractTest.class.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(Test.class))
                        .map(m -> m.getName())
                        .toList();
        // Each fixture's test plays it; this maps the files to the tests above by name.
        Map<String, String> tests =
                Map.ofEntries(
                        Map.entry("products-batch", "upsertsProductsInABatch"),
                        Map.entry("product-upsert", "upsertsAProductWithEveryField"),
                        Map.entry("customers-batch", "upsertsCustomersInABatch"),
                        Map.entry("customer-upsert", "upsertsACustomerWithEveryField"),
                        Map.entry("customer-get", "readsACustomer"),
                        Map.entry("events-batch", "sendsEveryKindOfEventAndReportsEachResult"),
                        Map.entry("rows", "readsRows"),
                        Map.entry("recommendations", "readsFilteredRecommendations"),
                        Map.entry("similar-products", "readsSimilarProducts"),
                        Map.entry("campaign-create", "createsACampaignWithEveryField"),
                        Map.entry("campaign-preview", "previewsACampaignForOneCustomer"),
                        Map.entry("campaign-launch", "launchesACampaign"),
                        Map.entry("campaigns-list", "listsCampaigns"),
                        Map.entry("campaign-ledger", "readsACampaignsLedger"),
                        Map.entry("campaign-lift", "readsALiftReportWithoutEnoughData"),
                        Map.entry("campaign-unknown-sends", "readsACampaignsSendsOfUnknownFate"),
                        Map.entry(
                                "campaign-unknown-sends-resend",
                                "resendsACampaignsSendsOfUnknownFate"),
                        Map.entry(
                                "campaign-unknown-sends-close",
                                "closesACampaignsSendsOfUnknownFate"),
                        Map.entry("program-holdout-set", "setsTheProgramHoldout"),
                        Map.entry("program-holdout-get", "readsTheProgramHoldout"),
                        Map.entry("program-holdout-report", "readsTheProgramReport"),
                        Map.entry(
                                "problem-validation", "turnsAValidationProblemIntoATypedException"),
                        Map.entry("problem-not-found", "turnsANotFoundProblemIntoATypedException"));
        try (Stream<Path> files = Files.list(CONTRACT)) {
            assertThat(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> f.endsWith(".json"))
                                    .map(f -> f.substring(0, f.length() - ".json".length())))
                    .containsExactlyInAnyOrderElementsOf(tests.keySet());
        }
        assertThat(covered).containsAll(tests.values());
    }
}
