package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class TrainingServiceIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final Clock clock = Clock.systemUTC();
    private final TenantService tenants = new TenantService(jdbi, clock);
    private final ModelStore store = new ModelStore(jdbi, clock);
    private final RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
    private final TrainingService training = new TrainingService(trainer, store, tenants);

    @Test
    void trainsQueuedTenantsAndStoresAModelThatServesLikeAFreshOne() throws Exception {
        String tenant = tenants.createTenant("shop", "UTC").tenant().tenantId();
        List<JsonNode> events = new ArrayList<>();
        for (int month = 0; month < 4; month++) {
            events.add(
                    mapper.readTree(
                            "{\"messageId\": \"m"
                                    + month
                                    + "\", \"type\": \"order_completed\", \"customerId\": \"c\","
                                    + " \"orderId\": \"o"
                                    + month
                                    + "\", \"timestamp\": \"2026-0"
                                    + (month + 1)
                                    + "-01T10:00:00Z\","
                                    + " \"lines\": [{\"productId\": \"dates\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"},"
                                    + " {\"productId\": \"coffee\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"}]}"));
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);
        store.requestTraining(tenant);

        assertThat(training.processPending("worker-a")).isEqualTo(1);
        assertThat(training.processPending("worker-a")).isZero();
        assertThat(store.recentTraining(tenant))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("DONE");
        assertThat(new ModelLoader(store).activeVersion(tenant)).isEqualTo(1);

        RecommendationModel stored = new ModelLoader(store).active(tenant).orElseThrow().model();
        RowsService rows = new RowsService();
        assertThat(rows.rows(stored, "c", null, Set.of(), 5, 5))
                .isEqualTo(rows.rows(trainer.train(tenant), "c", null, Set.of(), 5, 5));
        assertThat(store.versions(tenant).get(0).metrics()).contains("\"customers\":1");
    }

    @Test
    void queuesEveryTenantForTheNightlyRun() {
        tenants.createTenant("a", "UTC");
        tenants.createTenant("b", "UTC");
        assertThat(training.requestForChangedTenants()).isEqualTo(2);
        assertThat(training.requestForChangedTenants()).as("already waiting").isZero();
        assertThat(training.processPending("worker-a")).isEqualTo(2);
    }

    @Test
    void theNightlyRunQueuesTenantsWithNewEventsOrWithTrendsStillAgeing() throws Exception {
        String idle = tenants.createTenant("idle", "UTC").tenant().tenantId();
        String recent = tenants.createTenant("recent", "UTC").tenant().tenantId();
        // Received well before any trend week, and a second before the runs start.
        order(idle, "m1", Clock.offset(clock, Duration.ofDays(-8)));
        order(recent, "m1", Clock.offset(clock, Duration.ofSeconds(-1)));
        assertThat(training.requestForChangedTenants()).as("never trained").isEqualTo(2);
        assertThat(training.processPending("worker-a")).isEqualTo(2);

        // Nothing new, but recent's trending row counts a sale that will age out of its week.
        assertThat(training.requestForChangedTenants()).as("trend week held a sale").isEqualTo(1);
        assertThat(store.recentTraining(idle))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("DONE");
        assertThat(training.processPending("worker-a")).isEqualTo(1);

        // Eight days on, a run whose trend week is empty of sales; after it, recent is left alone.
        TrainingService weekLater =
                new TrainingService(
                        trainer,
                        new ModelStore(jdbi, Clock.offset(clock, Duration.ofDays(8))),
                        tenants);
        assertThat(weekLater.requestForChangedTenants()).isEqualTo(1);
        assertThat(weekLater.processPending("worker-a")).isEqualTo(1);
        assertThat(weekLater.requestForChangedTenants()).as("nothing new, no trends").isZero();

        order(idle, "m2", Clock.offset(clock, Duration.ofDays(8)));
        assertThat(weekLater.requestForChangedTenants()).as("a new order").isEqualTo(1);
        assertThat(store.recentTraining(idle))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("PENDING", "DONE");
    }

    @Test
    void aWorkersRunDeletesTheTenantsVersionsPastTheNewestKeptAndSaysWhatItFreed()
            throws Exception {
        String shop = tenants.createTenant("shop", "UTC").tenant().tenantId();
        String other = tenants.createTenant("other", "UTC").tenant().tenantId();
        order(shop, "m1", clock);
        order(other, "m1", clock);
        List<String> pruned = new ArrayList<>();
        TrainingService.Observer observer =
                new TrainingService.Observer() {
                    @Override
                    public void trained(String tenantId, Duration took, boolean succeeded) {}

                    @Override
                    public void pruned(String tenantId, ModelRetention.Freed freed) {
                        pruned.add(tenantId + ":" + freed.versions());
                    }
                };
        TrainingService keepingTwo =
                new TrainingService(
                        trainer,
                        store,
                        tenants,
                        observer,
                        java.util.Optional.empty(),
                        io.hilal.core.pods.PodScopes.single(),
                        java.util.Optional.of(new ModelRetention(jdbi, 2)));
        for (int run = 0; run < 3; run++) {
            store.requestTraining(shop);
            assertThat(keepingTwo.processPending("worker-a")).isEqualTo(1);
        }
        new TrainingService(trainer, store, tenants).train(other);
        new TrainingService(trainer, store, tenants).train(other);
        new TrainingService(trainer, store, tenants).train(other);

        assertThat(store.versions(shop))
                .extracting(ModelVersion::version, ModelVersion::active)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, true),
                        org.assertj.core.groups.Tuple.tuple(2, false));
        assertThat(pruned).containsExactly(shop + ":1");
        assertThat(store.versions(other)).as("kept without retention").hasSize(3);
        assertThat(new ModelLoader(store).active(shop)).isPresent();
    }

    /**
     * 30 customers c0…c29, each with one single-product order on the first of each of {@code
     * months} months from January 2026, of nine products p0…p8.
     */
    private void monthlyOrders(String tenant, int months) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (int customer = 0; customer < 30; customer++) {
            for (int month = 0; month < months; month++) {
                events.add(
                        mapper.readTree(
                                "{\"messageId\": \"m"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"type\": \"order_completed\", \"customerId\": \"c"
                                        + customer
                                        + "\", \"orderId\": \"o"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"timestamp\": \"2026-0"
                                        + (month + 1)
                                        + "-01T10:00:00Z\", \"lines\": [{\"productId\": \"p"
                                        + (customer + month) % 9
                                        + "\", \"quantity\": 1, \"unitPrice\": 5,"
                                        + " \"currency\": \"SAR\"}]}"));
            }
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);
    }

    private void order(String tenant, String messageId, Clock receivedBy) throws Exception {
        new EventIngestService(jdbi, mapper, receivedBy)
                .ingest(
                        tenant,
                        List.of(
                                mapper.readTree(
                                        "{\"messageId\": \""
                                                + messageId
                                                + "\", \"type\": \"order_completed\","
                                                + " \"customerId\": \"c\", \"orderId\": \""
                                                + messageId
                                                + "\", \"lines\": [{\"productId\": \"dates\","
                                                + " \"quantity\": 1, \"unitPrice\": 5,"
                                                + " \"currency\": \"SAR\"}]}")));
    }

    @Test
    void givesEachTenantAtMostOneTrainingThreadAndRequeuesTheRunsOfADeadWorker() {
        String big = tenants.createTenant("big", "UTC").tenant().tenantId();
        String small = tenants.createTenant("small", "UTC").tenant().tenantId();
        store.requestTraining(big);
        store.requestTraining(big);
        store.requestTraining(small);

        List<Runnable> handedOver = new ArrayList<>();
        assertThat(training.dispatch(handedOver::add, 3, "worker-a")).isEqualTo(2);
        assertThat(store.recentTraining(big))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactlyInAnyOrder("RUNNING", "PENDING");
        assertThat(training.dispatch(handedOver::add, 3, "worker-a"))
                .as("big is still running")
                .isZero();

        // The worker dies: its runs never finish. Past the longest run they are queued again.
        TrainingService later =
                new TrainingService(
                        trainer,
                        new ModelStore(jdbi, Clock.offset(clock, Duration.ofHours(3))),
                        tenants);
        assertThat(later.requeueStale(Duration.ofHours(2))).isEqualTo(2);
        handedOver.clear();
        assertThat(training.dispatch(handedOver::add, 3, "worker-a")).isEqualTo(2);
        handedOver.forEach(Runnable::run);
        assertThat(store.recentTraining(small))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactly("DONE");
        assertThat(training.dispatch(handedOver::add, 3, "worker-a"))
                .as("big's second request")
                .isEqualTo(1);
    }

    @Test
    void takesBackTheRunOfAWorkerWhoseHeartbeatStoppedAndStoresOnlyTheNewHoldersModels()
            throws Exception {
        String tenant = tenants.createTenant("taken-over", "UTC").tenant().tenantId();
        new EventIngestService(jdbi, mapper, clock)
                .ingest(
                        tenant,
                        List.of(
                                order("c", java.time.Instant.parse("2026-01-01T10:00:00Z"), "a"),
                                order("c", java.time.Instant.parse("2026-02-01T10:00:00Z"), "b")));
        training.train(tenant);
        List<ModelVersion> before = store.active(tenant);
        store.requestTraining(tenant);
        Instant now = clock.instant();
        heartbeat("dead", now.minus(Duration.ofMinutes(1)));
        heartbeat("alive", now);
        List<Runnable> dead = new ArrayList<>();
        assertThat(training.dispatch(dead::add, 1, "dead")).isEqualTo(1);

        assertThat(training.requeueLost("alive", Duration.ofMinutes(5), Duration.ofHours(2)))
                .as("a minute's silence is within the heartbeat timeout")
                .isZero();
        assertThat(training.requeueLost("dead", Duration.ofSeconds(30), Duration.ofHours(2)))
                .as("a worker's own runs are alive while it is")
                .isZero();
        assertThat(training.requeueLost("alive", Duration.ofSeconds(30), Duration.ofHours(2)))
                .isEqualTo(1);
        assertThat(store.active(tenant)).as("the models that were active stay").isEqualTo(before);

        List<Runnable> alive = new ArrayList<>();
        assertThat(training.dispatch(alive::add, 1, "alive")).isEqualTo(1);
        // The first worker was only cut off from the database: it finishes after losing its run.
        dead.forEach(Runnable::run);
        assertThat(store.active(tenant)).as("it stores nothing").isEqualTo(before);
        assertThat(store.recentTraining(tenant).get(0).status()).isEqualTo("RUNNING");

        alive.forEach(Runnable::run);
        assertThat(store.recentTraining(tenant).get(0).status()).isEqualTo("DONE");
        assertThat(store.active(tenant))
                .extracting(ModelVersion::kind, ModelVersion::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recommender", 2));
        assertThat(store.versions(tenant)).as("one new version").hasSize(2);
    }

    private void heartbeat(String worker, Instant at) {
        jdbi.useExtension(
                io.hilal.core.campaigns.sending.WorkerDao.class, dao -> dao.heartbeat(worker, at));
    }

    @Test
    void storesHoldoutMetricsWithEveryModel() throws Exception {
        String tenant = tenants.createTenant("metrics", "UTC").tenant().tenantId();
        List<JsonNode> events = new ArrayList<>();
        for (int customer = 0; customer < 30; customer++) {
            for (int month = 0; month < 4; month++) {
                events.add(
                        mapper.readTree(
                                "{\"messageId\": \"m"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"type\": \"order_completed\", \"customerId\": \"c"
                                        + customer
                                        + "\", \"orderId\": \"o"
                                        + customer
                                        + "-"
                                        + month
                                        + "\", \"timestamp\": \"2026-0"
                                        + (month + 1)
                                        + "-0"
                                        + (1 + customer % 9)
                                        + "T10:00:00Z\", \"lines\": [{\"productId\": \"p"
                                        + (customer + month) % 7
                                        + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"},"
                                        + " {\"productId\": \"p"
                                        + (customer + month + 1) % 7
                                        + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"}]}"));
            }
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, events);

        training.train(tenant);

        var recommender =
                store.versions(tenant).stream()
                        .filter(v -> v.kind().equals("recommender"))
                        .findFirst()
                        .orElseThrow();
        JsonNode metrics = mapper.readTree(recommender.metrics());
        assertThat(metrics.at("/holdout/status").asText()).isEqualTo("ok");
        assertThat(metrics.at("/holdout/scores"))
                .extracting(score -> score.get("model").asText())
                .contains(
                        "popularity", "because-you-bought", "most-often-bought", "time-to-restock");
        assertThat(recommender.windowStart()).isNotNull();
        assertThat(store.versions(tenant))
                .extracting(v -> v.kind())
                .containsExactlyInAnyOrder("recommender", "als");
        var als =
                store.versions(tenant).stream()
                        .filter(v -> v.kind().equals("als"))
                        .findFirst()
                        .orElseThrow();
        JsonNode alsMetrics = mapper.readTree(als.metrics());
        assertThat(alsMetrics.get("popularityValidationRecall@20").isNumber()).isTrue();
        // A shop this small is far within the grid's budget: tuned on all of its customers.
        assertThat(alsMetrics.get("gridCustomerShare").asDouble()).isEqualTo(1.0);
        assertThat(alsMetrics.get("gridSample").asText()).startsWith("grid on all");
        boolean beat =
                alsMetrics.get("validationRecall@20").asDouble()
                        > alsMetrics.get("popularityValidationRecall@20").asDouble();
        assertThat(alsMetrics.get("beatsPopularity").asBoolean()).isEqualTo(beat);
        // Served only with that verdict.
        assertThat(new ModelLoader(store).active(tenant).orElseThrow().als() != null)
                .isEqualTo(beat);
        // The holdout scores the personal model this run serves, with the settings its grid
        // chose, fitted once: not a grid of its own.
        assertThat(metrics.at("/holdout/personalModel/kind").asText()).isEqualTo("als");
        assertThat(metrics.at("/holdout/personalModel/settings"))
                .isEqualTo(mapper.readTree(als.params()));
        assertThat(metrics.at("/holdout/scores"))
                .filteredOn(score -> score.get("model").asText().equals("als"))
                .extracting(score -> score.get("k").asInt())
                .containsExactly(10, 20);
        assertThat(metrics.at("/holdout/scoredCustomers").asInt())
                .isEqualTo(metrics.at("/holdout/testCustomers").asInt())
                .isPositive();
    }

    @Test
    void leavesEaseUntriedPastItsCatalogLimitAndSaysSoWithTheModel() throws Exception {
        String tenant = tenants.createTenant("big-catalog", "UTC").tenant().tenantId();
        monthlyOrders(tenant, 5);

        new TrainingService(trainer, store, tenants, 5, TrainingService.ALS_GRID).train(tenant);

        ModelVersion personal = personal(tenant);
        JsonNode metrics = mapper.readTree(personal.metrics());
        assertThat(personal.kind()).isEqualTo("als");
        assertThat(metrics.get("chosenModel").asText()).isEqualTo("als");
        assertThat(metrics.get("choiceReason").asText())
                .startsWith("als: 9 products is more than EASE's limit of 5");
        assertThat(metrics.has("easeValidationRecall@20")).isFalse();
    }

    /**
     * Every customer has one single-product order, each on another day: with all of a customer's
     * purchases at one moment nothing is held out, so no customer is validated on, and the stored
     * reason says so instead of comparing the models' zeros over no one (it read "validation
     * Recall@20 EASE 0.0000, ALS 0.0000 (popularity 0.0000)" in an operator pass, and the model was
     * kept from serving without a word why).
     */
    @Test
    void aTenantWhoseCustomersEachBoughtOnceIsToldWhyNoModelWasCompared() throws Exception {
        String tenant = tenants.createTenant("one-order", "UTC").tenant().tenantId();
        List<JsonNode> orders = new ArrayList<>();
        java.time.Instant start = java.time.Instant.parse("2026-01-01T10:00:00Z");
        for (int customer = 0; customer < 30; customer++) {
            orders.add(
                    order(
                            "c" + customer,
                            start.plusSeconds(86400L * customer),
                            "p" + customer % 9));
        }
        new EventIngestService(jdbi, mapper, clock).ingest(tenant, orders);

        new TrainingService(trainer, store, tenants, 1000, SMALL_ALS).train(tenant);

        ModelVersion personal = personal(tenant);
        JsonNode metrics = mapper.readTree(personal.metrics());
        assertThat(metrics.get("validationCustomers").asInt()).isZero();
        assertThat(metrics.get("beatsPopularity").asBoolean()).isFalse();
        assertThat(metrics.get("choiceReason").asText())
                .startsWith("als by default, not compared: no customer could be validated on")
                .contains("a customer whose purchases are all at one moment")
                .contains("\"Picked for you\" is not served until one does")
                .doesNotContain("0.0000");
        assertThat(new ModelLoader(store).active(tenant).orElseThrow().als()).isNull();
    }

    /**
     * Every customer has two single-product orders, fewer purchases than the newest fifth holds one
     * of: the newest order is held out all the same, so a shop of customers with a few orders each
     * (most shops) compares its models on every one of them.
     */
    @Test
    void aTenantWhoseCustomersEachBoughtTwiceIsValidatedOnTheirNewestOrders() throws Exception {
        String tenant = tenants.createTenant("two-orders", "UTC").tenant().tenantId();
        monthlyOrders(tenant, 2);

        new TrainingService(trainer, store, tenants, 1000, SMALL_ALS).train(tenant);

        ModelVersion personal = personal(tenant);
        JsonNode metrics = mapper.readTree(personal.metrics());
        assertThat(metrics.get("validationCustomers").asInt()).isEqualTo(30);
        assertThat(metrics.get("choiceReason").asText())
                .doesNotContain("not compared")
                .contains("on each customer's newest 20% of purchases");
    }

    /**
     * Customers buy products in fixed pairs, one after the other, over many more pairs than the
     * factor model has factors (4 here): EASE finds a pair's second product from its first, which
     * ALS blurs, and the tenant's own validation split says so.
     */
    @Test
    void choosesEaseForATenantWhoseDataFavoursItAndServesPickedForYouFromIt() throws Exception {
        String tenant = pairsTenant("pairs");

        new TrainingService(trainer, store, tenants, 1000, SMALL_ALS).train(tenant);

        ModelVersion personal = personal(tenant);
        JsonNode metrics = mapper.readTree(personal.metrics());
        assertThat(personal.kind()).isEqualTo("ease");
        assertThat(metrics.get("chosenModel").asText()).isEqualTo("ease");
        double ease = metrics.get("easeValidationRecall@20").asDouble();
        double als = metrics.get("alsValidationRecall@20").asDouble();
        assertThat(ease).isGreaterThan(als);
        assertThat(metrics.get("choiceReason").asText())
                .isEqualTo(
                        String.format(
                                java.util.Locale.ROOT,
                                "ease: validation Recall@20 EASE %.4f, ALS %.4f (popularity %.4f)"
                                        + " on each customer's newest 20%% of purchases, at least the newest"
                                        + " order of anyone with two or more; RP3beta"
                                        + " %.4f, not above ease",
                                ease,
                                als,
                                metrics.get("popularityValidationRecall@20").asDouble(),
                                metrics.get("rp3betaValidationRecall@20").asDouble()));
        assertThat(metrics.get("alsChoice").asText())
                .startsWith("als: chose factors=")
                .contains(String.format(java.util.Locale.ROOT, "Recall@20=%.4f", als))
                .contains("validated on each customer's newest 20% of purchases");

        ModelLoader.Loaded served = new ModelLoader(store).active(tenant).orElseThrow();
        assertThat(served.als()).isNull();
        assertThat(served.itemToItem()).isNotNull();
        Rows rows =
                new RowsService()
                        .rows(
                                served.model(),
                                served.als(),
                                served.itemToItem(),
                                "zara",
                                RowsService.Context.HOME,
                                CustomerSignals.thumbsDownOnly(Set.of()),
                                RowsFilter.NONE,
                                RecentSales.NONE,
                                6,
                                5);
        Rows.Row picked =
                rows.rows().stream()
                        .filter(row -> row.id().equals("picked-for-you"))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no picked-for-you row in "
                                                        + rows
                                                        + "; owned "
                                                        + served.model().timings("zara")
                                                        + "; ease "
                                                        + served.itemToItem()
                                                                .recommend(
                                                                        Set.of("a7"),
                                                                        3,
                                                                        Set.of("a7"))));
        assertThat(picked.items().get(0).productId()).isEqualTo("b7");
        assertThat(picked.items()).extracting(ScoredItem::productId).doesNotContain("a7");
    }

    /**
     * The same pairs with EASE out of reach (its limit below the catalog): RP3beta's walk from a
     * pair's first product lands on its second, which the small factor model blurs; the stored
     * reason gives both validation figures and why EASE was not tried, and "Picked for you" is
     * served from the RP3beta weights with the owned product that explains each pick.
     */
    @Test
    void choosesRp3betaWhenItsValidationRecallIsBestAndSaysWhy() throws Exception {
        String tenant = pairsTenant("graph");

        new TrainingService(trainer, store, tenants, 5, SMALL_ALS).train(tenant);

        ModelVersion personal = personal(tenant);
        JsonNode metrics = mapper.readTree(personal.metrics());
        JsonNode params = mapper.readTree(personal.params());
        assertThat(personal.kind()).isEqualTo("rp3beta");
        assertThat(metrics.get("chosenModel").asText()).isEqualTo("rp3beta");
        double graph = metrics.get("rp3betaValidationRecall@20").asDouble();
        double als = metrics.get("alsValidationRecall@20").asDouble();
        assertThat(graph).isGreaterThan(als);
        assertThat(metrics.get("validationRecall@20").asDouble()).isEqualTo(graph);
        assertThat(metrics.has("easeValidationRecall@20")).isFalse();
        assertThat(metrics.get("choiceReason").asText())
                .startsWith(
                        String.format(
                                java.util.Locale.ROOT,
                                "rp3beta: validation Recall@20 RP3beta %.4f is above als's %.4f"
                                        + " (als: 120 products is more than EASE's limit of 5",
                                graph,
                                als));
        assertThat(params.get("alpha").asDouble()).isPositive();
        assertThat(params.has("beta")).isTrue();
        assertThat(params.get("keepPerProduct").asInt()).isPositive();

        ModelLoader.Loaded served = new ModelLoader(store).active(tenant).orElseThrow();
        assertThat(served.als()).isNull();
        Rows rows =
                new RowsService()
                        .rows(
                                served.model(),
                                served.als(),
                                served.itemToItem(),
                                "zara",
                                RowsService.Context.HOME,
                                CustomerSignals.thumbsDownOnly(Set.of()),
                                RowsFilter.NONE,
                                RecentSales.NONE,
                                6,
                                5);
        Rows.Row picked =
                rows.rows().stream()
                        .filter(row -> row.id().equals("picked-for-you"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no picked-for-you row in " + rows));
        assertThat(picked.items().get(0).productId()).isEqualTo("b7");
        assertThat(picked.items().get(0).reason()).isEqualTo("Goes with the a7 you bought");
        assertThat(picked.items()).extracting(ScoredItem::productId).doesNotContain("a7");
    }

    /** A factor model too small for the tenants below: 4 factors, one setting. */
    private static final AlsTuning.Grid SMALL_ALS =
            new AlsTuning.Grid(
                    new int[] {4},
                    new double[] {10},
                    new double[] {1},
                    new int[] {10},
                    new boolean[] {false});

    /**
     * A tenant whose 180 customers buy products in fixed pairs, one after the other (three of 60
     * pairs each), and zara who bought a7 only.
     */
    private String pairsTenant(String name) throws Exception {
        String tenant = tenants.createTenant(name, "UTC").tenant().tenantId();
        int pairs = 60;
        List<JsonNode> events = new ArrayList<>();
        java.time.Instant start = java.time.Instant.parse("2026-01-01T10:00:00Z");
        for (int customer = 0; customer < 180; customer++) {
            int day = 0;
            for (int pair :
                    new int[] {
                        customer % pairs, (customer * 7 + 3) % pairs, (customer * 13 + 5) % pairs
                    }) {
                for (String side : new String[] {"a", "b"}) {
                    events.add(
                            order("c" + customer, start.plusSeconds(86400L * day++), side + pair));
                }
            }
        }
        events.add(order("zara", start.plusSeconds(86400L * 10), "a7"));
        List<JsonNode> catalog = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            for (String side : new String[] {"a", "b"}) {
                catalog.add(
                        mapper.readTree(
                                "{\"id\": \""
                                        + side
                                        + pair
                                        + "\", \"title\": \""
                                        + side
                                        + pair
                                        + "\"}"));
            }
        }
        new io.hilal.core.catalog.ProductService(jdbi, mapper, clock).upsertBatch(tenant, catalog);
        EventIngestService ingest = new EventIngestService(jdbi, mapper, clock);
        for (int from = 0; from < events.size(); from += 1000) {
            ingest.ingest(tenant, events.subList(from, Math.min(events.size(), from + 1000)));
        }
        return tenant;
    }

    /** The tenant's active "Picked for you" version, whichever kind was chosen. */
    private ModelVersion personal(String tenant) {
        return store.active(tenant).stream()
                .filter(v -> TrainingService.PERSONAL_KINDS.contains(v.kind()))
                .findFirst()
                .orElseThrow();
    }

    private JsonNode order(String customer, java.time.Instant at, String product) throws Exception {
        String id = customer + "-" + at.getEpochSecond();
        return mapper.readTree(
                "{\"messageId\": \""
                        + id
                        + "\", \"type\": \"order_completed\", \"customerId\": \""
                        + customer
                        + "\", \"orderId\": \""
                        + id
                        + "\", \"timestamp\": \""
                        + at
                        + "\", \"lines\": [{\"productId\": \""
                        + product
                        + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"SAR\"}]}");
    }
}
