package io.hilal.worker.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import io.hilal.worker.CampaignWorkerConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The running worker recomputes open lift reports on its schedule (here every second instead of
 * daily) and stores them, one row per look.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LiftJobIT {
    static final String URL = TestDatabase.newSchema();
    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            new DropwizardAppExtension<>(
                    CampaignWorkerApplication.class,
                    Path.of("..", "config", "campaign-worker.yml")
                            .toAbsolutePath()
                            .normalize()
                            .toString(),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("smtp.host", "127.0.0.1"),
                    ConfigOverride.config("database.url", URL),
                    ConfigOverride.config(
                            "mailLinks.secret", "test-link-secret-0123456789abcdef0123456789"),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config("scheduler.liftCron", "0/1 * * * * ?"),
                    ConfigOverride.config("logging.level", "WARN"));

    @Test
    void theWorkerRecomputesOpenReportsOnItsSchedule() {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL)));
        Instant send = Instant.now().minus(Duration.ofDays(2));
        new SendLedger(jdbi, Clock.systemUTC(), "test")
                .plan(
                        new SendLedger.Run("ten_worker", "ramadan", "r1"),
                        List.of(
                                new PlannedSend("a", send, send.plusSeconds(60), false),
                                new PlannedSend("b", send, send.plusSeconds(60), true)));
        LiftReportService reports =
                new LiftReportService(
                        jdbi,
                        HilalJson.newMapper(),
                        Clock.systemUTC(),
                        LiftReportService.Options.defaults(),
                        (tenant, campaign) -> Optional.empty());

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(reports.overview("ten_worker", "ramadan", null).items())
                                        .extracting(LiftReportService.Overview.Item::windowDays)
                                        .containsExactly(30, 60, 90));
        LiftReport report = reports.latestOrComputeReport("ten_worker", "ramadan", 30);
        assertThat(report.status()).isEqualTo(LiftReport.Status.NOT_ENOUGH_DATA);
        assertThat(report.peeking().finalLook()).isFalse();
    }
}
