package io.hilal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.sdk.model.Models;
import io.hilal.sdk.model.Page;
import io.hilal.sdk.model.Product;
import io.hilal.sdk.model.Recommendations;
import io.hilal.sdk.model.RecommendedItem;
import io.hilal.sdk.model.Rows;
import io.hilal.sdk.model.TrainingRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-resource services: paths, query parameters, pages and answers. */
class ResourceServicesTest {
    private static final String KEY = "hk_live_0123456789abcdef_" + "e".repeat(64);

    private MockWebServer server;
    private HilalClient hilal;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return answer(request.getMethod(), request.getPath());
                    }
                });
        server.start();
        hilal =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                        .build();
    }

    @AfterEach
    void stop() throws Exception {
        hilal.close();
        server.shutdown();
    }

    private static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse answer(String method, String path) {
        if (path.startsWith("/v1/products?")) {
            if (!path.contains("cursor=")) {
                return json(
                        "{\"items\":[{\"id\":\"p-1\",\"title\":\"One\"},{\"id\":\"p-2\"}],"
                                + "\"nextCursor\":\"c2\"}");
            }
            return json("{\"items\":[{\"id\":\"p-3\"}],\"nextCursor\":null}");
        }
        if (path.startsWith("/v1/products/missing")) {
            return new MockResponse()
                    .setResponseCode(404)
                    .setHeader("Content-Type", "application/problem+json")
                    .setBody("{\"status\":404,\"code\":\"product_not_found\"}");
        }
        if (path.startsWith("/v1/products/p-") && method.equals("DELETE")) {
            return new MockResponse().setResponseCode(204);
        }
        if (path.startsWith("/v1/products/p-")) {
            String id = path.substring("/v1/products/".length());
            return json("{\"id\":\"" + id + "\",\"title\":\"T " + id + "\",\"available\":true}");
        }
        if (path.contains("/rows")) {
            return json(
                    "{\"customerId\":\"c-1\",\"personalized\":true,\"rows\":[{\"id\":\"popular\","
                            + "\"title\":\"Popular\",\"items\":[{\"productId\":\"p-9\",\"score\":1.5,"
                            + "\"reason\":\"Popular\",\"title\":\"Dates\",\"price\":9.5,"
                            + "\"currency\":\"SAR\",\"imageUrl\":\"https://x/p9.jpg\","
                            + "\"url\":\"https://x/p9\",\"someFutureField\":1}]}]}");
        }
        if (path.contains("/recommendations")) {
            return json(
                    "{\"items\":[{\"productId\":\"p-3\",\"score\":0.5,\"reason\":\"Because\"}]}");
        }
        if (path.startsWith("/v1/customers/c-1/events")) {
            if (!path.contains("cursor=")) {
                return json(
                        "{\"items\":[{\"messageId\":\"m-2\",\"type\":\"product_viewed\"}],"
                                + "\"nextCursor\":\"e2\"}");
            }
            return json("{\"items\":[{\"messageId\":\"m-1\",\"type\":\"search\"}]}");
        }
        if (path.equals("/moved/v1/ping")) {
            return new MockResponse().setResponseCode(302).setHeader("Location", "/v1/ping");
        }
        if (path.startsWith("/moved/")) {
            return answer(method, path.substring("/moved".length()));
        }
        if (path.equals("/v1/ping")) {
            return json("{\"tenantId\":\"ten_1\"}");
        }
        if (path.equals("/v1/models/train") && method.equals("POST")) {
            return json("{\"requestId\":\"trn_1\",\"status\":\"pending\"}").setResponseCode(202);
        }
        if (path.equals("/v1/models")) {
            return json(
                    "{\"items\":[{\"kind\":\"als\",\"version\":3,\"trainedAt\":"
                            + "\"2026-12-01T00:00:00Z\",\"metrics\":{\"recall@20\":0.2},"
                            + "\"sizeBytes\":10,\"active\":true}],\"training\":[]}");
        }
        return new MockResponse().setResponseCode(404);
    }

    private List<String> paths() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getPath());
        }
        return paths;
    }

    @Test
    void rowsAndRecommendationsSendEveryFilterAndReadDisplayFields() throws Exception {
        Rows rows =
                hilal.recommendations()
                        .rows(
                                "c 1",
                                RowsParams.builder()
                                        .productPage("p-9")
                                        .rows(2)
                                        .perRow(4)
                                        .category("Food", "Dates")
                                        .excludeCategory("Gift cards")
                                        .exclude("p-1", "p-2")
                                        .fields("title", "price")
                                        .build());
        RecommendedItem item = rows.rows().get(0).items().get(0);
        assertThat(item.title()).isEqualTo("Dates");
        assertThat(item.price()).isEqualByComparingTo("9.5");
        assertThat(item.currency()).isEqualTo("SAR");
        assertThat(item.imageUrl()).isEqualTo("https://x/p9.jpg");
        assertThat(item.url()).isEqualTo("https://x/p9");

        Recommendations list =
                hilal.recommendations()
                        .forCustomerAsync(
                                "c-1",
                                RecommendationsParams.builder()
                                        .limit(3)
                                        .category("Coffee")
                                        .excludeCategory("Tea", "Cups")
                                        .exclude("p-7")
                                        .build())
                        .get(5, TimeUnit.SECONDS);
        assertThat(list.items()).extracting(RecommendedItem::productId).containsExactly("p-3");
        assertThat(list.items().get(0).title()).isNull();

        assertThat(paths())
                .containsExactly(
                        "/v1/customers/c%201/rows?context=product%3Ap-9&rows=2&perRow=4"
                                + "&category=Food%2CDates&excludeCategory=Gift%20cards"
                                + "&exclude=p-1%2Cp-2&fields=title%2Cprice",
                        "/v1/customers/c-1/recommendations?limit=3&category=Coffee"
                                + "&excludeCategory=Tea%2CCups&exclude=p-7");
    }

    @Test
    void listsTheCatalogPageByPageAndAllOfIt() throws Exception {
        Page<Product> first = hilal.products().list("Dates", ListParams.limit(2));
        assertThat(first.items()).extracting(Product::id).containsExactly("p-1", "p-2");
        assertThat(first.nextCursor()).isEqualTo("c2");

        List<String> all = new ArrayList<>();
        hilal.products().listAll(null, ListParams.limit(2)).forEach(p -> all.add(p.id()));
        assertThat(all).containsExactly("p-1", "p-2", "p-3");
        assertThat(paths())
                .containsExactly(
                        "/v1/products?category=Dates&limit=2",
                        "/v1/products?limit=2",
                        "/v1/products?limit=2&cursor=c2");
    }

    @Test
    void looksUpSeveralProductsAndLeavesOutUnknownOnes() {
        Map<String, Product> found =
                hilal.products().retrieveMany(List.of("p-2", "missing", "p-1", "p-2"));
        assertThat(found.keySet()).containsExactly("p-2", "p-1");
        assertThat(found.get("p-1").title()).isEqualTo("T p-1");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void deletesAProductAndSays404ForAnUnknownOne() throws Exception {
        hilal.products().delete("p-4");
        assertThatThrownBy(() -> hilal.products().delete("missing"))
                .isInstanceOf(HilalException.NotFoundException.class);
        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("DELETE");
        assertThat(first.getPath()).isEqualTo("/v1/products/p-4");
    }

    @Test
    void pagesThroughACustomersEvents() {
        List<String> ids = new ArrayList<>();
        for (Event event : hilal.customers().eventsAll("c-1", ListParams.FIRST)) {
            ids.add(event.messageId() + ":" + event.type());
        }
        assertThat(ids).containsExactly("m-2:product_viewed", "m-1:search");
    }

    @Test
    void pingsTrainsAndListsModels() {
        assertThat(hilal.ping()).isEqualTo("ten_1");
        TrainingRequest training = hilal.models().train();
        assertThat(training.requestId()).isEqualTo("trn_1");
        assertThat(training.status()).isEqualTo("pending");
        Models models = hilal.models().list();
        assertThat(models.items())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.kind()).isEqualTo("als");
                            assertThat(v.active()).isTrue();
                            assertThat(v.metrics().path("recall@20").asDouble()).isEqualTo(0.2);
                        });
    }

    @Test
    void usesTheGivenHttpClientAndExecutor() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        Executor counting =
                task -> {
                    tasks.incrementAndGet();
                    new Thread(task).start();
                };
        // Only a client that follows redirects reaches the ping behind this one.
        HttpClient redirecting =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        try (HilalClient custom =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/moved/").uri())
                        .httpClient(redirecting)
                        .executor(counting)
                        .build()) {
            assertThat(custom.ping()).isEqualTo("ten_1");
            assertThat(custom.products().retrieveAsync("p-1").get(5, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(tasks.get()).isEqualTo(1);
    }

    @Test
    void anAsyncCallCompletesWithTheTypedException() {
        assertThatThrownBy(() -> hilal.products().retrieveAsync("missing").join())
                .hasCauseInstanceOf(HilalException.NotFoundException.class);
    }
}
