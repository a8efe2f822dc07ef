package io.hilal.core.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.Mailer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.Database;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelRetention;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.LoopbackProxy;
import io.hilal.core.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker over two pods, the second a database server of its own behind a proxy that can cut it
 * off: what the worker does while a pod cannot be reached, and around a tenant frozen for a move.
 */
class PodOutageIT {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final TestDatabase.Server POD_SERVER = TestDatabase.anotherServer();
    private static final LoopbackProxy POD_LINK;
    private static final String HOME_URL = TestDatabase.newSchema();
    private static final Database DATABASE;
    private static final PodScopes PODS;

    static {
        POD_SERVER.createSchema("hilal_outage_pod_b");
        try {
            POD_LINK = new LoopbackProxy(POD_SERVER.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String podUrl =
                new TestDatabase.Server(
                                POD_SERVER.host(),
                                POD_LINK.port(),
                                POD_SERVER.user(),
                                POD_SERVER.password())
                        .jdbcUrl("hilal_outage_pod_b");
        HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(HOME_URL)))
                .useExtension(
                        PodDirectoryDao.class,
                        dao ->
                                dao.insertPod(
                                        "b",
                                        podUrl,
                                        POD_SERVER.user(),
                                        POD_SERVER.password(),
                                        null,
                                        false,
                                        CLOCK.instant()));
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(HOME_URL);
        factory.setUser(TestDatabase.user());
        factory.setPassword(TestDatabase.password());
        factory.setPodRefreshMillis(100);
        DATABASE = factory.open("pod-outage-test");
        PODS = PodScopes.of(DATABASE.pods());
    }

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    /** Whether this test cut pod b off and has not restored it yet. */
    private final AtomicBoolean podAway = new AtomicBoolean();

    @AfterEach
    void stopThreads() throws IOException {
        threads.shutdownNow();
        if (podAway.getAndSet(false)) {
            POD_LINK.restore();
        }
    }

    @AfterAll
    static void close() throws IOException {
        DATABASE.close();
        POD_LINK.close();
    }

    /**
     * The worker's pass fails because pod b went away mid-send, leaving the send it had in flight
     * SENDING there. Its next passes run while b is still away; once b is back, that send is marked
     * UNKNOWN_INFLIGHT (never left SENDING, which no later pass of this live worker would look at),
     * and the rest of the run goes out.
     */
    @Test
    void sendsInFlightInAPodThatWasAwayAreRecoveredOnceItIsBack() throws Exception {
        String tenantId = tenantOnB("Away shop");
        customers(tenantId, 3);
        Campaign campaign = launch(tenantId);
        SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), "run_1");
        AtomicBoolean cutOnce = new AtomicBoolean();
        List<String> relayed = new ArrayList<>();
        Mailer mailer =
                email -> {
                    synchronized (relayed) {
                        relayed.add(email.to());
                    }
                    // The relay takes the first email; pod b goes away before it is recorded.
                    if (cutOnce.compareAndSet(false, true)) {
                        podAway.set(true);
                        try {
                            POD_LINK.cut();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return SendResult.sent();
                };
        CampaignSender sender = sender(mailer, "worker-outage");
        long unreadBefore = PODS.unreadable().getOrDefault("b", 0L);

        assertThatThrownBy(sender::pass).isInstanceOf(RuntimeException.class);
        assertThat(relayed).hasSize(1);

        // Pod b still away: nothing of it can be read, recovered or sent.
        sender.pass();
        sender.pass();
        assertThat(PODS.unreadable().getOrDefault("b", 0L)).isGreaterThan(unreadBefore);

        POD_LINK.restore();
        podAway.set(false);
        // Connections pooled before the outage are broken: dropped, so that the next pass does not
        // fail on one (a failed pass would recover this worker's sends by itself, for another
        // reason than the one under test).
        for (PodRouter.Family family : PodRouter.Family.values()) {
            ((org.apache.tomcat.jdbc.pool.DataSource) DATABASE.pods().podDataSource("b", family))
                    .purge();
        }
        sender.pass();

        Map<String, Long> counts = DbScope.tenant(tenantId, () -> ledger().counts(run));
        assertThat(counts).doesNotContainKey("SENDING");
        assertThat(counts).containsEntry("UNKNOWN_INFLIGHT", 1L).containsEntry("SENT", 2L);
        // The send of unknown fate is not sent again.
        assertThat(relayed).hasSize(3).doesNotHaveDuplicates();
    }

    /**
     * Housekeeping on a schedule (forgetting old send counts, queueing lost training runs again)
     * leaves a tenant frozen for a move alone, so the move's copy and verify counts see only what
     * the tenant's own writers did; once the move is over, it does its work.
     */
    @Test
    void housekeepingLeavesAFrozenTenantAloneUntilItsMoveIsOver() {
        String frozen = tenantOnB("Frozen shop");
        Instant now = CLOCK.instant();
        Instant oldQuarter =
                now.minus(Duration.ofDays(5)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        DbScope.tenant(
                frozen,
                () ->
                        DATABASE.jdbi()
                                .useHandle(
                                        handle -> {
                                            handle.createUpdate(
                                                            "INSERT INTO tenant_sends (tenant_id,"
                                                                    + " quarter_start, sends)"
                                                                    + " VALUES (:t, :q, 7)")
                                                    .bind("t", frozen)
                                                    .bind("q", oldQuarter)
                                                    .execute();
                                            handle.createUpdate(
                                                            "INSERT INTO training_requests"
                                                                    + " (tenant_id, request_id,"
                                                                    + " status, worker_id,"
                                                                    + " requested_at, started_at)"
                                                                    + " VALUES (:t, 'lost-run',"
                                                                    + " 'RUNNING', 'dead-worker',"
                                                                    + " :at, :at)")
                                                    .bind("t", frozen)
                                                    .bind("at", now.minus(Duration.ofHours(3)))
                                                    .execute();
                                        }));
        setState(frozen, Placement.State.ACTIVE, Placement.State.COPYING);
        setState(frozen, Placement.State.COPYING, Placement.State.FROZEN);

        sender(email -> SendResult.sent(), "worker-housekeeping").recover();
        TrainingService training = training();
        training.requeueLost("worker-housekeeping", Duration.ofSeconds(30), Duration.ofHours(1));

        assertThat(sendCounts(frozen)).isEqualTo(1);
        assertThat(trainingStatus(frozen)).isEqualTo("RUNNING");

        // The move gave up: the tenant is active again where it was.
        setState(frozen, Placement.State.FROZEN, Placement.State.ACTIVE);

        sender(email -> SendResult.sent(), "worker-housekeeping-2").recover();
        assertThat(
                        training.requeueLost(
                                "worker-housekeeping", Duration.ofSeconds(30), Duration.ofHours(1)))
                .isEqualTo(1);
        assertThat(sendCounts(frozen)).isZero();
        assertThat(trainingStatus(frozen)).isEqualTo("PENDING");
    }

    /**
     * A training run of a tenant whose rows a move is copying stores its models but deletes none of
     * its old versions (the move copies and counts them); its first run after the move does.
     */
    @Test
    void trainingKeepsAMovingTenantsOldVersionsUntilItsFirstRunAfterTheMove() {
        String moving = tenantOnB("Moving shop");
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(DATABASE.jdbi()),
                        new ModelStore(DATABASE.jdbi(), DATABASE.homeJdbi(), CLOCK),
                        new TenantService(DATABASE.homeJdbi(), CLOCK),
                        TrainingService.Observer.NONE,
                        Optional.empty(),
                        PODS,
                        Optional.of(new ModelRetention(DATABASE.jdbi(), 2)));
        for (int run = 0; run < 3; run++) {
            PODS.inTenant(moving, () -> training.train(moving));
        }
        assertThat(versions(moving)).containsExactly(3, 2);

        setState(moving, Placement.State.ACTIVE, Placement.State.COPYING);
        PODS.inTenant(moving, () -> training.train(moving));
        assertThat(versions(moving)).containsExactly(4, 3, 2);

        // The move gave up: the tenant is active again where it was.
        setState(moving, Placement.State.COPYING, Placement.State.ACTIVE);
        PODS.inTenant(moving, () -> training.train(moving));
        assertThat(versions(moving)).containsExactly(5, 4);
    }

    /** The tenant's recommender versions, newest first. */
    private static List<Integer> versions(String tenantId) {
        return PODS.inTenant(
                tenantId,
                () ->
                        new ModelStore(DATABASE.jdbi(), DATABASE.homeJdbi(), CLOCK)
                                .versions(tenantId).stream()
                                        .filter(
                                                version ->
                                                        version.kind()
                                                                .equals(RecommendationModel.KIND))
                                        .map(ModelVersion::version)
                                        .toList());
    }

    private static void setState(String tenantId, Placement.State from, Placement.State to) {
        int changed =
                DATABASE.homeJdbi()
                        .withExtension(
                                PodDirectoryDao.class,
                                dao ->
                                        dao.transition(
                                                tenantId,
                                                from,
                                                to,
                                                to == Placement.State.ACTIVE ? null : "home",
                                                CLOCK.instant()));
        assertThat(changed).isOne();
        DATABASE.pods().invalidate(tenantId);
    }

    private static long sendCounts(String tenantId) {
        return DbScope.pod(
                "b",
                () ->
                        DATABASE.jdbi()
                                .withHandle(
                                        handle ->
                                                handle.createQuery(
                                                                "SELECT COUNT(*) FROM tenant_sends"
                                                                        + " WHERE tenant_id = :t")
                                                        .bind("t", tenantId)
                                                        .mapTo(Long.class)
                                                        .one()));
    }

    private static String trainingStatus(String tenantId) {
        return DbScope.pod(
                "b",
                () ->
                        DATABASE.jdbi()
                                .withHandle(
                                        handle ->
                                                handle.createQuery(
                                                                "SELECT status FROM"
                                                                        + " training_requests WHERE"
                                                                        + " tenant_id = :t")
                                                        .bind("t", tenantId)
                                                        .mapTo(String.class)
                                                        .one()));
    }

    private static TrainingService training() {
        return new TrainingService(
                new RecommendationTrainer(DATABASE.jdbi()),
                new ModelStore(DATABASE.jdbi(), DATABASE.homeJdbi(), CLOCK),
                new TenantService(DATABASE.homeJdbi(), CLOCK),
                TrainingService.Observer.NONE,
                Optional.empty(),
                PODS);
    }

    /** A tenant placed in pod b, as the service places one when home is closed to new tenants. */
    private static String tenantOnB(String name) {
        setHomeStatus(Pod.Status.CLOSED);
        try {
            return new TenantService(
                            DATABASE.homeJdbi(),
                            CLOCK,
                            new TenantPlacer(DATABASE.pods(), DATABASE.jdbi(), CLOCK))
                    .createTenant(name, "UTC")
                    .tenant()
                    .tenantId();
        } finally {
            setHomeStatus(Pod.Status.ACTIVE);
        }
    }

    private static void setHomeStatus(Pod.Status status) {
        DATABASE.homeJdbi()
                .useExtension(PodDirectoryDao.class, dao -> dao.setPodStatus(Pod.HOME_ID, status));
        DATABASE.pods().refreshPods();
    }

    private static void customers(String tenantId, int count) {
        Instant now = CLOCK.instant();
        List<CustomerDao.CustomerRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(
                    new CustomerDao.CustomerRow(
                            "c-" + i,
                            "c"
                                    + i
                                    + "@"
                                    + tenantId.toLowerCase(java.util.Locale.ROOT)
                                    + ".invalid",
                            "UTC",
                            null,
                            "granted",
                            "test",
                            now,
                            null,
                            now,
                            now));
        }
        DbScope.tenant(
                tenantId,
                () ->
                        DATABASE.jdbi()
                                .useExtension(
                                        CustomerDao.class, dao -> dao.upsert(tenantId, rows)));
    }

    private static final MailLinks LINKS =
            new MailLinks(
                    "test-link-secret-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8),
                    "https://hilal.example",
                    "u@hilal.example");

    private static SendLedger ledger() {
        return new SendLedger(DATABASE.senderJdbi(), CLOCK, "mail.hilal.invalid");
    }

    private static CampaignService campaigns() {
        TenantService tenants = new TenantService(DATABASE.homeJdbi(), CLOCK);
        return new CampaignService(
                DATABASE.jdbi(),
                HilalJson.newMapper(),
                CLOCK,
                tenants,
                new EmailComposer(DATABASE.jdbi(), LINKS),
                ledger(),
                t -> null);
    }

    /** A campaign to every customer, due an hour ago, no holdout or quiet hours, sent at launch. */
    private static Campaign launch(String tenantId) {
        CampaignService campaigns = campaigns();
        Instant hourAgo = CLOCK.instant().minus(Duration.ofHours(1));
        return DbScope.tenant(
                tenantId,
                () -> {
                    campaigns.putSenderIdentity(
                            tenantId,
                            new SenderIdentity(
                                    "offers@souq.example", "Souq", null, "1 Souq St", null, null));
                    Campaign campaign =
                            campaigns.create(
                                    tenantId,
                                    new CampaignRequest(
                                            "Outage",
                                            null,
                                            0.0,
                                            new CampaignRequest.Offer(
                                                    "Hi", "<p>Hi</p>", "Hi", null, null),
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
                                            // Quiet hours (21:00-08:00 by default) would hold
                                            // the sends back at night: off, at any hour.
                                            new CampaignRequest.Limits(
                                                    null,
                                                    CampaignRequest.QuietHours.OFF,
                                                    null,
                                                    null)));
                    campaigns.launch(tenantId, campaign.id());
                    return campaign;
                });
    }

    /** One send in flight at a time, so the outage leaves exactly one of unknown fate. */
    private CampaignSender sender(Mailer mailer, String workerId) {
        return new CampaignSender(
                DATABASE.senderJdbi(),
                CLOCK,
                ledger(),
                campaigns(),
                new EmailComposer(DATABASE.jdbi(), LINKS),
                new TenantService(DATABASE.homeJdbi(), CLOCK),
                mailer,
                t -> null,
                threads,
                new CampaignSender.Settings(
                        workerId,
                        1,
                        50,
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(30),
                        false,
                        0,
                        0),
                PODS,
                DATABASE.homeJdbi());
    }
}
