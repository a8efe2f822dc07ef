package io.hilal.worker.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.admin.AdminMetrics;
import io.hilal.core.admin.TenantLabels;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.Database;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.pods.DbScope;
import io.hilal.core.pods.Placement;
import io.hilal.core.pods.Pod;
import io.hilal.core.pods.PodDirectoryDao;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.pods.TenantMover;
import io.hilal.core.pods.TenantPlacer;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerConfiguration;
import io.hilal.worker.platform.WorkerMetrics;
import io.hilal.worker.testing.WorkerFixture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign worker over two pods: the home database (the test's shared server) and a second pod
 * on a database server of its own. Tenants of either pod get their campaigns sent, each recipient
 * once, and their training runs done, each in its own pod; and a tenant moved between pods while
 * its campaign is sending gets every recipient exactly once, its ledger in the new pod only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkerPodsIT {
    private static final int SMTP_PORT = 18352;
    private static final Clock CLOCK = Clock.systemUTC();

    @RegisterExtension
    static final GreenMailExtension RELAY =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
                    .withPerMethodLifecycle(false);

    private static final TestDatabase.Server POD_SERVER = TestDatabase.anotherServer();
    private static final String HOME_URL = TestDatabase.newSchema();

    /** The marketers' and the operator's process: its own router, as the service has. */
    private static final Database SERVICE;

    static {
        POD_SERVER.createSchema("hilal_worker_pod_b");
        String podUrl = POD_SERVER.jdbcUrl("hilal_worker_pod_b");
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
        SERVICE = factory.open("worker-pods-test");
    }

    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            WorkerFixture.worker(
                    HOME_URL,
                    ConfigOverride.config("smtp.port", Integer.toString(SMTP_PORT)),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.trainingPollSeconds", "1"),
                    ConfigOverride.config("database.podRefreshMillis", "100"));

    @AfterAll
    static void close() {
        SERVICE.close();
    }

    @Test
    void tenantsOfBothPodsGetTheirCampaignsEachRecipientOnceInTheirOwnPod() {
        String atHome = tenant("Home shop", false);
        String onB = tenant("Pod B shop", true);
        assertThat(placement(atHome)).isEqualTo("home");
        assertThat(placement(onB)).isEqualTo("b");

        List<String> homeRecipients = customers(atHome, "home", 25);
        List<String> podRecipients = customers(onB, "podb", 25);
        Campaign homeCampaign = launch(atHome, null);
        Campaign podCampaign = launch(onB, null);

        awaitCompleted(atHome, homeCampaign);
        awaitCompleted(onB, podCampaign);
        assertEachOnce(homeRecipients);
        assertEachOnce(podRecipients);
        assertLedger(atHome, homeCampaign, "home", 25);
        assertLedger(onB, podCampaign, "b", 25);
    }

    @Test
    void aTrainingRunOfATenantOnTheSecondPodIsDoneAndStoredThere() {
        String onB = tenant("Trained shop", true);
        assertThat(placement(onB)).isEqualTo("b");
        ModelStore store = new ModelStore(SERVICE.jdbi(), CLOCK);
        DbScope.tenant(onB, () -> store.requestTraining(onB));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                DbScope.tenant(
                                                        onB,
                                                        () ->
                                                                store.recentTraining(onB)
                                                                        .get(0)
                                                                        .status()))
                                        .isEqualTo("DONE"));
        assertThat(DbScope.tenant(onB, () -> store.active(onB))).isNotEmpty();
        assertThat(rows("model_versions", onB, "b")).isPositive();
        assertThat(rows("model_versions", onB, "home")).isZero();
        assertThat(rows("training_requests", onB, "home")).isZero();
    }

    @Test
    void aTenantMovedWhileItsCampaignSendsGetsEveryRecipientExactlyOnce() {
        String moving = tenant("Moving shop", false);
        assertThat(placement(moving)).isEqualTo("home");
        List<String> recipients = customers(moving, "moving", 100);
        // Paced so that the move lands in the middle of the run, with sends claimed and waiting
        // for their turn (in flight) when the freeze comes.
        Campaign campaign = launch(moving, 10.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> received(recipients) >= 5);

        TenantMover.MoveReport report =
                new TenantMover(SERVICE.pods(), SERVICE.homeJdbi(), CLOCK, Duration.ofSeconds(1))
                        .move(moving, "b");
        assertThat(report.toPod()).isEqualTo("b");
        // The rest goes out from pod b.
        assertThat(received(recipients)).isLessThan(recipients.size());
        SERVICE.pods().invalidate(moving);
        assertThat(placement(moving)).isEqualTo("b");

        awaitCompleted(moving, campaign);
        assertEachOnce(recipients);
        assertLedger(moving, campaign, "b", recipients.size());
        assertThat(rows("campaign_sends", moving, "home")).isZero();
    }

    /**
     * While a move copies a tenant, its ledger rows are in both pods until the switch: the ledger
     * metric counts them once, in the pod the directory says holds the tenant.
     */
    @Test
    void theLedgerMetricCountsATenantBeingCopiedOnce() {
        String copied = tenant("Copied shop", false);
        customers(copied, "copied", 5);
        Campaign campaign = launch(copied, null);
        awaitCompleted(copied, campaign);
        double before = ledgerSends("SENT");

        // The move's copy: the tenant's rows in pod b too, the directory still naming home.
        copyRows("campaign_sends", copied, "home", "b");
        SERVICE.homeJdbi()
                .useExtension(
                        PodDirectoryDao.class,
                        dao ->
                                dao.transition(
                                        copied,
                                        Placement.State.ACTIVE,
                                        Placement.State.COPYING,
                                        "b",
                                        CLOCK.instant()));
        SERVICE.pods().invalidate(copied);
        try {
            assertThat(rows("campaign_sends", copied, "b")).isEqualTo(5);
            assertThat(ledgerSends("SENT")).isEqualTo(before);
        } finally {
            SERVICE.homeJdbi()
                    .useExtension(
                            PodDirectoryDao.class,
                            dao ->
                                    dao.transition(
                                            copied,
                                            Placement.State.COPYING,
                                            Placement.State.ACTIVE,
                                            null,
                                            CLOCK.instant()));
            SERVICE.pods().invalidate(copied);
            DbScope.pod(
                    "b",
                    () ->
                            SERVICE.jdbi()
                                    .useHandle(
                                            handle ->
                                                    handle.createUpdate(
                                                                    "DELETE FROM campaign_sends"
                                                                            + " WHERE tenant_id ="
                                                                            + " :t")
                                                            .bind("t", copied)
                                                            .execute()));
        }
    }

    /** The worker's ledger metric for {@code state}, read as a scrape reads it. */
    private static double ledgerSends(String state) {
        PrometheusRegistry registry = new PrometheusRegistry();
        new WorkerMetrics(
                registry,
                SERVICE.jdbi(),
                new TenantLabels(AdminMetrics.TENANT_LABELS),
                CLOCK,
                PodScopes.of(SERVICE.pods()));
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getName().equals("hilal_ledger_sends")) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    GaugeSnapshot.GaugeDataPointSnapshot gauge =
                            (GaugeSnapshot.GaugeDataPointSnapshot) point;
                    if (state.equals(gauge.getLabels().get("state"))) {
                        return gauge.getValue();
                    }
                }
            }
        }
        return 0;
    }

    /** Copies the tenant's rows of {@code table} from one pod to another, as a move's copy does. */
    private static void copyRows(String table, String tenantId, String from, String to) {
        List<Map<String, Object>> found =
                DbScope.pod(
                        from,
                        () ->
                                SERVICE.jdbi()
                                        .withHandle(
                                                handle ->
                                                        handle.createQuery(
                                                                        "SELECT * FROM "
                                                                                + table
                                                                                + " WHERE tenant_id"
                                                                                + " = :t")
                                                                .bind("t", tenantId)
                                                                .mapToMap()
                                                                .list()));
        DbScope.pod(
                to,
                () ->
                        SERVICE.jdbi()
                                .useHandle(
                                        handle -> {
                                            // Its parents (campaigns, customers) are not copied.
                                            handle.execute("SET SESSION foreign_key_checks = 0");
                                            try {
                                                for (Map<String, Object> row : found) {
                                                    String columns =
                                                            row.keySet().stream()
                                                                    .map(c -> "`" + c + "`")
                                                                    .collect(
                                                                            Collectors.joining(
                                                                                    ", "));
                                                    String values =
                                                            row.keySet().stream()
                                                                    .map(c -> ":" + c)
                                                                    .collect(
                                                                            Collectors.joining(
                                                                                    ", "));
                                                    handle.createUpdate(
                                                                    "INSERT INTO "
                                                                            + table
                                                                            + " ("
                                                                            + columns
                                                                            + ") VALUES ("
                                                                            + values
                                                                            + ")")
                                                            .bindMap(row)
                                                            .execute();
                                                }
                                            } finally {
                                                handle.execute(
                                                        "SET SESSION foreign_key_checks = 1");
                                            }
                                        }));
    }

    /** A tenant placed as the service places it: in pod b when {@code onB}, else at home. */
    private static String tenant(String name, boolean onB) {
        TenantService tenants =
                onB
                        ? new TenantService(
                                SERVICE.homeJdbi(),
                                CLOCK,
                                new TenantPlacer(SERVICE.pods(), SERVICE.jdbi(), CLOCK))
                        : new TenantService(SERVICE.homeJdbi(), CLOCK);
        if (onB) {
            // The placer takes the pod with the fewest tenants: close home to new ones meanwhile.
            setHomeStatus("CLOSED");
        }
        try {
            return tenants.createTenant(name, "UTC").tenant().tenantId();
        } finally {
            if (onB) {
                setHomeStatus("ACTIVE");
            }
        }
    }

    private static void setHomeStatus(String status) {
        SERVICE.homeJdbi()
                .useExtension(
                        PodDirectoryDao.class,
                        dao -> dao.setPodStatus("home", Pod.Status.valueOf(status)));
        SERVICE.pods().refreshPods();
    }

    private static String placement(String tenantId) {
        return SERVICE.homeJdbi()
                .withExtension(PodDirectoryDao.class, dao -> dao.placement(tenantId))
                .orElseThrow()
                .podId();
    }

    /** {@code count} consenting customers with addresses of their own; returns the addresses. */
    private static List<String> customers(String tenantId, String prefix, int count) {
        Instant now = CLOCK.instant();
        List<CustomerDao.CustomerRow> rows = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String address = prefix + i + "@example.invalid";
            rows.add(WorkerFixture.customer("c-" + i, address, "UTC", now));
            addresses.add(address);
        }
        DbScope.tenant(
                tenantId,
                () ->
                        SERVICE.jdbi()
                                .useExtension(
                                        CustomerDao.class, dao -> dao.upsert(tenantId, rows)));
        return addresses;
    }

    private static CampaignService campaigns(String tenantId) {
        return DbScope.tenant(
                tenantId,
                () ->
                        WorkerFixture.campaigns(
                                SERVICE.jdbi(),
                                CLOCK,
                                new SendLedger(SERVICE.jdbi(), CLOCK, "mail.hilal.invalid"),
                                tenantId));
    }

    /** Launches a campaign to every customer (no holdout), paced at {@code perSecond} if set. */
    private static Campaign launch(String tenantId, Double perSecond) {
        CampaignService campaigns = campaigns(tenantId);
        Instant now = CLOCK.instant();
        return DbScope.tenant(
                tenantId,
                () -> {
                    Campaign campaign =
                            campaigns.create(
                                    tenantId,
                                    new CampaignRequest(
                                            "Pods",
                                            null,
                                            0.0,
                                            new CampaignRequest.Offer(
                                                    "Hi", "<p>Hi</p>", "Hi", null, null),
                                            WorkerFixture.dueAnHourAgo(now),
                                            new CampaignRequest.Limits(
                                                    null,
                                                    WorkerFixture.quietHoursLater(now),
                                                    null,
                                                    perSecond)));
                    campaigns.launch(tenantId, campaign.id());
                    return campaign;
                });
    }

    private static void awaitCompleted(String tenantId, Campaign campaign) {
        CampaignService campaigns = campaigns(tenantId);
        await().atMost(Duration.ofSeconds(45))
                .untilAsserted(
                        () ->
                                assertThat(
                                                DbScope.tenant(
                                                        tenantId,
                                                        () ->
                                                                campaigns
                                                                        .get(
                                                                                tenantId,
                                                                                campaign.id())
                                                                        .status()))
                                        .isEqualTo(CampaignStatus.COMPLETED));
    }

    /** How many emails the relay got for these addresses. */
    private static long received(List<String> addresses) {
        return recipientCounts().entrySet().stream()
                .filter(entry -> addresses.contains(entry.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static Map<String, Long> recipientCounts() {
        return Arrays.stream(RELAY.getReceivedMessages())
                .map(WorkerPodsIT::recipient)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every address got exactly one email, and each email its own Message-ID. */
    private static void assertEachOnce(List<String> addresses) {
        Map<String, Long> counts = recipientCounts();
        Map<String, Long> ours =
                addresses.stream()
                        .collect(
                                Collectors.toMap(
                                        Function.identity(),
                                        address -> counts.getOrDefault(address, 0L)));
        assertThat(ours).allSatisfy((address, count) -> assertThat(count).as(address).isOne());
        List<String> messageIds =
                Arrays.stream(RELAY.getReceivedMessages())
                        .filter(message -> addresses.contains(recipient(message)))
                        .map(
                                message -> {
                                    try {
                                        return message.getMessageID();
                                    } catch (MessagingException e) {
                                        throw new IllegalStateException(e);
                                    }
                                })
                        .toList();
        assertThat(messageIds).hasSize(addresses.size()).doesNotHaveDuplicates();
    }

    /** The run's ledger is in {@code pod}, every send SENT, none in the other pod. */
    private static void assertLedger(String tenantId, Campaign campaign, String pod, int sent) {
        SendLedger ledger = new SendLedger(SERVICE.jdbi(), CLOCK, "mail.hilal.invalid");
        Map<String, Long> counts =
                DbScope.tenant(
                        tenantId,
                        () -> ledger.counts(new SendLedger.Run(tenantId, campaign.id(), "run_1")));
        assertThat(counts).containsOnly(Map.entry("SENT", (long) sent));
        assertThat(rows("campaign_sends", tenantId, pod)).isEqualTo(sent);
        assertThat(rows("campaign_sends", tenantId, pod.equals("home") ? "b" : "home")).isZero();
    }

    /** The tenant's rows of {@code table} in {@code pod}, read there directly. */
    private static long rows(String table, String tenantId, String pod) {
        return DbScope.pod(
                pod,
                () ->
                        SERVICE.jdbi()
                                .withHandle(
                                        handle ->
                                                handle.createQuery(
                                                                "SELECT COUNT(*) FROM "
                                                                        + table
                                                                        + " WHERE tenant_id = :t")
                                                        .bind("t", tenantId)
                                                        .mapTo(Long.class)
                                                        .one()));
    }
}
