package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.testing.TestDatabase;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reports computed from a real ledger and real order lines with a known effect: 1,000 customers,
 * every fifth held out; 68.75% of the treated and 30% of the held-out customers order once (2 × 25)
 * in the 30 days after the send, 100 treated orders are partly refunded (−25), half of everyone
 * bought in the pre-period, and everyone orders on day 31, outside the window.
 */
class LiftReportServiceIT {
    static final Instant SEND = Instant.parse("2026-01-10T08:00:00Z");
    static final String TENANT = "ten_lift";
    static final String OTHER = "ten_other";
    static Jdbi jdbi;

    @BeforeAll
    static void ledgerAndPurchases() {
        jdbi = TestDatabase.newJdbi();
        SendLedger ledger = new SendLedger(jdbi, Clock.fixed(SEND, ZoneOffset.UTC), "test");
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sends.add(new PlannedSend("c" + i, SEND, SEND.plus(Duration.ofDays(2)), i % 5 == 0));
        }
        SendLedger.Run run = new SendLedger.Run(TENANT, "eid", "r1");
        ledger.plan(run, sends);
        // Some treated customers were sent, some failed: all of them stay treated (ITT).
        for (int i = 1; i < 1000; i += 5) {
            ledger.claim(run, "c" + i, "w");
            ledger.sent(run, "c" + i, "w");
        }
        ledger.plan(new SendLedger.Run(TENANT, "small", "r1"), sends.subList(0, 50));
        jdbi.useHandle(
                handle -> {
                    var batch =
                            handle.prepareBatch(
                                    "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                            + " customer_id, order_id, product_id, quantity,"
                                            + " unit_price, currency, occurred_at) VALUES (?, ?, 0,"
                                            + " ?, ?, 'p', ?, ?, 'USD', ?)");
                    for (int i = 0; i < 1000; i++) {
                        boolean held = i % 5 == 0;
                        // Held out: 30% order. Treated: residues 1 and 2 of five always, half
                        // of residue 3 and a quarter of residue 4: 550 of 800 (68.75%).
                        int residue = i % 5;
                        boolean buys =
                                held
                                        ? (i / 5) % 10 < 3
                                        : residue == 1
                                                || residue == 2
                                                || (residue == 3 && i % 2 == 0)
                                                || (residue == 4 && i % 4 == 0);
                        Instant in = SEND.plus(Duration.ofDays(1 + i % 20));
                        if (buys) {
                            batch.add(TENANT, "m" + i, "c" + i, "o" + i, 2, 25.0, in);
                            if (i % 10 == 1) {
                                batch.add(
                                        TENANT,
                                        "r" + i,
                                        "c" + i,
                                        "o" + i,
                                        -1,
                                        25.0,
                                        in.plusSeconds(60));
                            }
                        }
                        if (i % 2 == 0) {
                            batch.add(
                                    TENANT,
                                    "pre" + i,
                                    "c" + i,
                                    "q" + i,
                                    1,
                                    30.0,
                                    SEND.minus(Duration.ofDays(40)));
                        }
                        // After the 30-day window: never counted in it.
                        batch.add(
                                TENANT,
                                "late" + i,
                                "c" + i,
                                "z" + i,
                                1,
                                99.0,
                                SEND.plus(Duration.ofDays(31)));
                    }
                    batch.execute();
                });
    }

    private static LiftReportService service(Instant now, double expectedShare) {
        return new LiftReportService(
                jdbi,
                HilalJson.newMapper(),
                Clock.fixed(now, ZoneOffset.UTC),
                LiftReportService.Options.defaults(),
                (tenant, campaign) ->
                        Optional.of(new LiftReportService.ExpectedShare(expectedShare, "test")));
    }

    @Test
    void measuresTheKnownEffectOnceTheWindowHasClosed() {
        LiftReport report = service(SEND.plus(Duration.ofDays(45)), 0.2).compute(TENANT, "eid", 30);

        assertThat(report.status()).isEqualTo(LiftReport.Status.FINAL);
        assertThat(report.peeking().finalLook()).isTrue();
        assertThat(report.assignment().treatedCustomers()).isEqualTo(800);
        assertThat(report.assignment().holdoutCustomers()).isEqualTo(200);
        assertThat(report.assignment().ledgerStates())
                .containsEntry("HELD_OUT", 200L)
                .containsEntry("SENT", 200L)
                .containsEntry("PLANNED", 600L);
        assertThat(report.assignment().definition()).contains("Intention-to-treat");
        LiftReport.Metric repeat = report.metrics().repeatPurchaseRate();
        double treatedRate = 550 / 800.0;
        assertThat(repeat.unadjusted().treated()).isCloseTo(treatedRate, within(1e-12));
        assertThat(repeat.unadjusted().holdout()).isCloseTo(0.3, within(1e-12));
        assertThat(repeat.low()).isLessThan(treatedRate - 0.3).isGreaterThan(0);
        assertThat(repeat.high()).isGreaterThan(treatedRate - 0.3);
        assertThat(repeat.significant()).isTrue();
        assertThat(repeat.pValue()).isLessThan(1e-6);
        assertThat(report.metrics().ordersPerCustomer().unadjusted().difference())
                .isCloseTo(treatedRate - 0.3, within(1e-9));
        assertThat(report.sampleRatio().mismatch()).isFalse();
        assertThat(report.sampleRatio().pValue()).isCloseTo(1.0, within(1e-9));
        assertThat(report.incrementalRevenue().estimate())
                .isCloseTo(report.metrics().revenuePerCustomer().difference() * 800, within(1e-6));
        assertThat(report.incrementalRevenue().low()).isGreaterThan(0);
        assertThat(report.currencies()).containsExactly("USD");
        // The final look shows the fixed-horizon interval at what the interim looks left (4%).
        assertThat(report.look().kind()).isEqualTo("FINAL");
        assertThat(report.look().intervalConfidence()).isCloseTo(0.96, within(1e-12));
        assertThat(report.metrics().repeatPurchaseRate().role()).isEqualTo("primary");
        assertThat(report.metrics().revenuePerCustomer().role()).isEqualTo("secondary");
        assertThat(report.metrics().revenuePerCustomer().adjustedPValue())
                .isGreaterThanOrEqualTo(report.metrics().revenuePerCustomer().pValue());
        assertThat(report.dataCutoff()).isEqualTo(report.window().closesAt());
        assertThat(report.dataReceivedThrough()).isNotNull();
        assertThat(report.verdict())
                .startsWith("The campaign raised repeat purchases: the 96% interval (+")
                .endsWith("Final report, after every customer's 30-day window closed.");
    }

    @Test
    void readsThePurchasesOnceAndStoresTheNewestPurchaseAndLedgerChangeItSaw() {
        Instant now = SEND.plus(Duration.ofDays(46));
        List<String> statements = new ArrayList<>();
        SqlStatements config = jdbi.getConfig(SqlStatements.class);
        SqlLogger before = config.getSqlLogger();
        config.setSqlLogger(
                new SqlLogger() {
                    @Override
                    public void logBeforeExecution(StatementContext context) {
                        statements.add(context.getRenderedSql());
                    }
                });
        LiftReport report;
        try {
            report = service(now, 0.2).compute(TENANT, "eid", 30);
        } finally {
            config.setSqlLogger(before);
        }

        // Order lines and the ledger are read once: the newest of each comes with the rows.
        assertThat(statements.stream().filter(sql -> sql.contains("FROM order_lines"))).hasSize(1);
        assertThat(statements.stream().filter(sql -> sql.contains("MAX("))).isEmpty();
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        Instant from = SEND.minus(Duration.ofDays(LiftReportService.Options.defaults().preDays()));
        assertThat(report.dataReceivedThrough())
                .isEqualTo(dao.receivedThrough(TENANT, "eid", from, report.dataCutoff()).get());
        Instant storedSendsUpdated =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT sends_updated_through FROM lift_reports"
                                                        + " WHERE tenant_id = :t AND campaign_id"
                                                        + " = 'eid' AND window_days = 30 AND"
                                                        + " computed_at = :now")
                                        .bind("t", TENANT)
                                        .bind("now", now)
                                        .mapTo(Instant.class)
                                        .one());
        assertThat(storedSendsUpdated)
                .isEqualTo(dao.sendsUpdatedThrough(TENANT, "eid").get())
                .isNotNull();
    }

    @Test
    void recomputesAFinalReportWhenLatePurchasesForItsWindowArrive() {
        Jdbi own = TestDatabase.newJdbi();
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            sends.add(new PlannedSend("l" + i, SEND, SEND.plusSeconds(60), i % 2 == 0));
        }
        new SendLedger(own, Clock.fixed(SEND, ZoneOffset.UTC), "test")
                .plan(new SendLedger.Run(TENANT, "late", "r1"), sends);
        for (int i = 0; i < 400; i += 3) {
            order(own, "early" + i, "l" + i, SEND.plus(Duration.ofDays(3)));
        }
        LiftReportService.Options defaults = LiftReportService.Options.defaults();
        LiftReportService.Options options =
                new LiftReportService.Options(
                        List.of(30),
                        30,
                        365,
                        180,
                        defaults.analysis(),
                        defaults.sampleRatioThreshold(),
                        7,
                        Duration.ofHours(1));
        LiftReport first =
                serviceOn(own, SEND.plus(Duration.ofDays(31)), options).compute(TENANT, "late", 30);
        assertThat(first.status()).isEqualTo(LiftReport.Status.FINAL);
        long buyers = first.assignment().treatedBuyers() + first.assignment().holdoutBuyers();

        // Nothing new: the final report stands.
        assertThat(serviceOn(own, SEND.plus(Duration.ofDays(32)), options).recomputeOpen())
                .isZero();
        // Purchases made on day 20 arrive late (the shop's import ran after the window closed).
        for (int i = 1; i < 400; i += 3) {
            order(own, "late" + i, "l" + i, SEND.plus(Duration.ofDays(20)));
        }
        assertThat(serviceOn(own, SEND.plus(Duration.ofDays(33)), options).recomputeOpen())
                .isEqualTo(1);
        LiftReport again =
                serviceOn(own, SEND.plus(Duration.ofDays(33)), options)
                        .latestOrComputeReport(TENANT, "late", 30);
        assertThat(again.computedAt()).isEqualTo(SEND.plus(Duration.ofDays(33)));
        assertThat(again.assignment().treatedBuyers() + again.assignment().holdoutBuyers())
                .isGreaterThan(buyers);
        assertThat(again.dataReceivedThrough()).isAfterOrEqualTo(first.dataReceivedThrough());

        // Past the late-data period (7 days after the window closed), late purchases are ignored.
        for (int i = 2; i < 400; i += 3) {
            order(own, "later" + i, "l" + i, SEND.plus(Duration.ofDays(21)));
        }
        assertThat(serviceOn(own, SEND.plus(Duration.ofDays(38)), options).recomputeOpen())
                .isZero();
    }

    @Test
    void anOpenWindowsReportIsRecomputedAsSoonAsItsSendsSettleOtherwiseOnceADay() {
        Jdbi own = TestDatabase.newJdbi();
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(new PlannedSend("s" + i, SEND, SEND.plus(Duration.ofDays(2)), i % 4 == 0));
        }
        SendLedger.Run run = new SendLedger.Run(TENANT, "settling", "r1");
        new SendLedger(own, Clock.fixed(SEND, ZoneOffset.UTC), "test").plan(run, sends);
        LiftReportService.Options defaults = LiftReportService.Options.defaults();
        LiftReportService.Options options =
                new LiftReportService.Options(
                        List.of(30),
                        30,
                        365,
                        180,
                        defaults.analysis(),
                        defaults.sampleRatioThreshold(),
                        7,
                        Duration.ofHours(1));
        Instant first = SEND.plus(Duration.ofHours(1));
        assertThat(serviceOn(own, first, options).recomputeOpen()).isEqualTo(1);
        // An hour later nothing changed: the hourly check leaves the report alone.
        assertThat(serviceOn(own, first.plus(Duration.ofHours(1)), options).recomputeOpen())
                .isZero();
        // The sends settle (sent, two hours after the first report): recomputed at the next check.
        SendLedger later =
                new SendLedger(
                        own, Clock.fixed(first.plus(Duration.ofHours(2)), ZoneOffset.UTC), "test");
        for (int i = 1; i < 200; i += 4) {
            later.claim(run, "s" + i, "w");
            later.sent(run, "s" + i, "w");
        }
        assertThat(serviceOn(own, first.plus(Duration.ofHours(3)), options).recomputeOpen())
                .isEqualTo(1);
        assertThat(serviceOn(own, first.plus(Duration.ofHours(4)), options).recomputeOpen())
                .isZero();
        // A day after the last computation it is recomputed anyway.
        assertThat(serviceOn(own, first.plus(Duration.ofHours(27)), options).recomputeOpen())
                .isEqualTo(1);
    }

    @Test
    void aReportViewedBeforeTheFirstSendIsRecomputedAtTheFirstViewAfterIt() {
        Jdbi own = TestDatabase.newJdbi();
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sends.add(new PlannedSend("b" + i, SEND, SEND.plus(Duration.ofDays(2)), i % 4 == 0));
        }
        new SendLedger(own, Clock.fixed(SEND, ZoneOffset.UTC), "test")
                .plan(new SendLedger.Run(TENANT, "launched", "r1"), sends);
        LiftReportService.Options options = LiftReportService.Options.defaults();
        // The marketer opens the campaign's page at launch, twelve minutes before the send.
        LiftReport atLaunch =
                serviceOn(own, SEND.minus(Duration.ofMinutes(12)), options)
                        .latestOrComputeReport(TENANT, "launched", 30);
        assertThat(atLaunch.assignment().treatedCustomers()).isZero();

        // Two minutes after the send time, well within the hour a viewed report is kept.
        LiftReport after =
                serviceOn(own, SEND.plus(Duration.ofMinutes(2)), options)
                        .latestOrComputeReport(TENANT, "launched", 30);
        assertThat(after.computedAt()).isEqualTo(SEND.plus(Duration.ofMinutes(2)));
        assertThat(after.assignment().treatedCustomers()).isEqualTo(225);
        assertThat(after.assignment().holdoutCustomers()).isEqualTo(75);
        // Once computed after the send, a view within the hour serves the stored report.
        assertThat(
                        serviceOn(own, SEND.plus(Duration.ofMinutes(20)), options)
                                .latestOrComputeReport(TENANT, "launched", 30)
                                .computedAt())
                .isEqualTo(SEND.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aReportAMoveFreezeRefusesIsLeftForTheNextRunWithoutAnError() throws Exception {
        String url = TestDatabase.newSchema();
        Jdbi writable = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(new PlannedSend("f" + i, SEND, SEND.plusSeconds(60), i % 4 == 0));
        }
        new SendLedger(writable, Clock.fixed(SEND, ZoneOffset.UTC), "test")
                .plan(new SendLedger.Run(TENANT, "moving", "r1"), sends);
        // What PodRouter lends a tenant a move has frozen: connections that refuse writes.
        DataSource source = TestDatabase.dataSource(url);
        Jdbi frozen =
                HilalJdbi.configure(
                        Jdbi.create(
                                () -> {
                                    Connection connection = source.getConnection();
                                    connection.setReadOnly(true);
                                    return connection;
                                }));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LiftReportService.class);
        logger.addAppender(lines);
        Instant now = SEND.plus(Duration.ofDays(1));
        try {
            assertThat(serviceOn(frozen, now, LiftReportService.Options.defaults()).recomputeOpen())
                    .isZero();
        } finally {
            logger.detachAppender(lines);
        }

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).doesNotContain(Level.ERROR);
        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Lift report of ten_lift / moving (30 days) left for the next run: the"
                                + " tenant is frozen while it moves between pods");
        // The next run, with the tenant writable again, computes every window.
        assertThat(serviceOn(writable, now, LiftReportService.Options.defaults()).recomputeOpen())
                .isEqualTo(3);
    }

    @Test
    void aViewedReportOlderThanAnHourIsRecomputedFirstWhileItCanStillChange() {
        Jdbi own = TestDatabase.newJdbi();
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sends.add(new PlannedSend("v" + i, SEND, SEND.plusSeconds(60), i % 3 == 0));
        }
        new SendLedger(own, Clock.fixed(SEND, ZoneOffset.UTC), "test")
                .plan(new SendLedger.Run(TENANT, "viewed", "r1"), sends);
        LiftReportService.Options options = LiftReportService.Options.defaults();
        Instant computed = SEND.plus(Duration.ofDays(9));
        serviceOn(own, computed, options).compute(TENANT, "viewed", 30);

        LiftReport fresh =
                serviceOn(own, computed.plus(Duration.ofMinutes(59)), options)
                        .latestOrComputeReport(TENANT, "viewed", 30);
        assertThat(fresh.computedAt()).isEqualTo(computed);
        LiftReport stale =
                serviceOn(own, computed.plus(Duration.ofMinutes(61)), options)
                        .latestOrComputeReport(TENANT, "viewed", 30);
        assertThat(stale.computedAt()).isEqualTo(computed.plus(Duration.ofMinutes(61)));

        // A final report with no late data is served as stored, however old.
        Instant closed = SEND.plus(Duration.ofDays(31));
        serviceOn(own, closed, options).compute(TENANT, "viewed", 30);
        assertThat(
                        serviceOn(own, closed.plus(Duration.ofDays(3)), options)
                                .latestOrComputeReport(TENANT, "viewed", 30)
                                .computedAt())
                .isEqualTo(closed);
    }

    private static LiftReportService serviceOn(
            Jdbi on, Instant now, LiftReportService.Options options) {
        return new LiftReportService(
                on,
                HilalJson.newMapper(),
                Clock.fixed(now, ZoneOffset.UTC),
                options,
                (t, c) -> Optional.empty());
    }

    private static void order(Jdbi on, String id, String customer, Instant at) {
        on.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                        + " customer_id, order_id, product_id, quantity,"
                                        + " unit_price, currency, occurred_at) VALUES (?, ?, 0,"
                                        + " ?, ?, 'p', 1, 10.0, 'USD', ?)",
                                TENANT,
                                id,
                                customer,
                                id,
                                at));
    }

    @Test
    void netsRefundsAndIgnoresPurchasesAfterTheWindow() {
        LiftReport report = service(SEND.plus(Duration.ofDays(45)), 0.2).compute(TENANT, "eid", 30);
        LiftReport.Interval revenue = report.metrics().revenuePerCustomer().unadjusted();
        // Buyers pay 50; the 100 customers with i % 10 == 1 get 25 back. The 99.00 orders on
        // day 31 are outside the window.
        double heldOutRevenue = 0.3 * 50;
        assertThat(revenue.holdout()).isCloseTo(heldOutRevenue, within(1e-9));
        double treatedRevenue = (550 * 50.0 - 100 * 25.0) / 800;
        assertThat(revenue.treated()).isCloseTo(treatedRevenue, within(1e-9));
    }

    @Test
    void anInterimLookSaysSoAndMeasuresOnlyUpToNow() {
        LiftReport report = service(SEND.plus(Duration.ofDays(5)), 0.2).compute(TENANT, "eid", 30);
        assertThat(report.status()).isEqualTo(LiftReport.Status.INTERIM);
        assertThat(report.window().closed()).isFalse();
        assertThat(report.peeking().correctedForPeeking()).isTrue();
        assertThat(report.peeking().note()).contains("always-valid");
        assertThat(report.look().kind()).isEqualTo("INTERIM");
        assertThat(report.look().day()).isEqualTo(5);
        assertThat(report.look().ofDays()).isEqualTo(30);
        assertThat(report.look().intervalConfidence()).isCloseTo(0.99, within(1e-12));
        assertThat(report.dataCutoff()).isEqualTo(SEND.plus(Duration.ofDays(5)));
        assertThat(report.verdict()).contains("Interim look, day 5 of 30");
        // Only orders on days 1–4 after the send have happened by day 5.
        assertThat(report.assignment().treatedBuyers() + report.assignment().holdoutBuyers())
                .isLessThan(300);
    }

    @Test
    void saysNotEnoughDataForASmallCampaign() {
        LiftReport report =
                service(SEND.plus(Duration.ofDays(45)), 0.2).compute(TENANT, "small", 30);
        assertThat(report.status()).isEqualTo(LiftReport.Status.NOT_ENOUGH_DATA);
        assertThat(report.statusDetail())
                .isEqualTo(
                        "Not enough data yet. Each arm needs at least 100 customers; treated has"
                                + " 40, holdout 10. This campaign holds out 10 customers in all,"
                                + " so it cannot answer on its own however long it runs. "
                                + LiftVerdict.programInstead());
        assertThat(report.metrics()).isNull();
        assertThat(report.incrementalRevenue()).isNull();
    }

    @Test
    void flagsASampleRatioMismatch() {
        LiftReport report = service(SEND.plus(Duration.ofDays(45)), 0.5).compute(TENANT, "eid", 30);
        assertThat(report.sampleRatio().mismatch()).isTrue();
        assertThat(report.sampleRatio().pValue()).isLessThan(0.001);
        assertThat(report.warnings()).anyMatch(w -> w.startsWith("Sample ratio mismatch"));
    }

    @Test
    void anotherTenantsCampaignIsNotFound() {
        LiftReportService service = service(SEND.plus(Duration.ofDays(45)), 0.2);
        assertThatThrownBy(() -> service.compute(OTHER, "eid", 30))
                .isInstanceOf(CampaignNotFoundException.class)
                .hasMessageContaining("eid");
        assertThatThrownBy(() -> service.latestOrCompute(TENANT, "nope", 30))
                .isInstanceOf(CampaignNotFoundException.class);
    }

    @Test
    void recomputesOpenReportsDailyAndStopsOnceFinal() {
        Jdbi own = TestDatabase.newJdbi();
        new SendLedger(own, Clock.fixed(SEND, ZoneOffset.UTC), "test")
                .plan(
                        new SendLedger.Run(TENANT, "daily", "r1"),
                        List.of(
                                new PlannedSend("a", SEND, SEND.plusSeconds(60), false),
                                new PlannedSend("b", SEND, SEND.plusSeconds(60), true)));
        LiftReportService.Options options = LiftReportService.Options.defaults();
        for (int day : new int[] {1, 2, 40, 41}) {
            new LiftReportService(
                            own,
                            HilalJson.newMapper(),
                            Clock.fixed(SEND.plus(Duration.ofDays(day)), ZoneOffset.UTC),
                            options,
                            (t, c) -> Optional.empty())
                    .recomputeOpen();
        }
        LiftReportService.Overview overview =
                new LiftReportService(
                                own,
                                HilalJson.newMapper(),
                                Clock.systemUTC(),
                                options,
                                (t, c) -> Optional.empty())
                        .overview(TENANT, null, null);
        // 30 days: days 1, 2 and 40 (final); 60 and 90 days: all four looks are interim.
        assertThat(overview.items())
                .extracting(LiftReportService.Overview.Item::windowDays)
                .containsExactly(30, 60, 90);
        assertThat(overview.items().get(0).history()).hasSize(3);
        assertThat(overview.items().get(1).history()).hasSize(4);
        assertThat(overview.items().get(0).latest().status())
                .isEqualTo(LiftReport.Status.NOT_ENOUGH_DATA);
        assertThat(overview.items().get(0).latest().sampleRatioPValue()).isNull();
    }

    @Test
    void rejectsWindowsThatAreNotWholeDaysInRange() {
        LiftReportService service = service(SEND, 0.2);
        assertThat(service.windowDays(null)).isEqualTo(30);
        assertThat(service.windowDays("90")).isEqualTo(90);
        for (String bad : new String[] {"0", "-3", "366", "30.5", "thirty"}) {
            assertThatThrownBy(() -> service.windowDays(bad))
                    .isInstanceOfSatisfying(
                            io.hilal.core.error.BadRequestException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid_parameter"));
        }
    }

    @Test
    void theSampleRatioCheckExpectsTheCampaignsOwnHoldoutShareAndTheDefaultForLedgerOnlyOnes() {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO campaigns (tenant_id, campaign_id, name, status,"
                                        + " holdout_share, salt, definition, created_at,"
                                        + " updated_at) VALUES (?, 'eid', 'Eid', 'completed', 0.2,"
                                        + " 's', '{}', ?, ?)",
                                TENANT,
                                SEND,
                                SEND));
        LiftReportFactory factory = new LiftReportFactory();
        factory.setDefaultHoldoutShare(0.5);
        LiftReportService service =
                new LiftReportService(
                        jdbi,
                        HilalJson.newMapper(),
                        Clock.fixed(SEND.plus(Duration.ofDays(45)), ZoneOffset.UTC),
                        LiftReportService.Options.defaults(),
                        factory.holdoutShares(jdbi));

        LiftReport.SampleRatio own = service.compute(TENANT, "eid", 30).sampleRatio();
        LiftReport.SampleRatio ledgerOnly = service.compute(TENANT, "small", 30).sampleRatio();

        // 200 of 1,000 held out is exactly the planned 20%; the default 50% would be a mismatch.
        assertThat(own.expectedHoldoutShare()).isEqualTo(0.2);
        assertThat(own.expectedShareSource()).isEqualTo("the campaign's holdout share");
        assertThat(own.mismatch()).isFalse();
        assertThat(ledgerOnly.expectedHoldoutShare()).isEqualTo(0.5);
        assertThat(ledgerOnly.expectedShareSource()).contains("lift.defaultHoldoutShare");
        assertThat(ledgerOnly.mismatch()).isTrue();
    }
}
