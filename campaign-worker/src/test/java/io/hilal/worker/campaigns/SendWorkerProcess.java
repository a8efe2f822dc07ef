package io.hilal.worker.campaigns;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.mail.SmtpPool;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.testing.WorkerFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.jdbi.v3.core.Jdbi;

/**
 * A sending worker in a process of its own, for the kill test: the same core sender the worker's
 * send job runs, with a heartbeat, sending until nothing is due. Arguments: JDBC URL, SMTP port,
 * worker id, concurrency (the most sends in flight) and, optionally, the sends claimed per commit
 * (default two).
 */
public final class SendWorkerProcess {
    private SendWorkerProcess() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int smtpPort = Integer.parseInt(args[1]);
        String workerId = args[2];
        int concurrency = Integer.parseInt(args[3]);
        int claimBatch = args.length > 4 ? Integer.parseInt(args[4]) : claimBatch(concurrency);
        // The test's server account comes from its JVM: this one has no TestDatabase server.
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                pool(
                                        url,
                                        System.getenv("HILAL_TEST_DB_USER"),
                                        System.getenv("HILAL_TEST_DB_PASSWORD"))));
        Clock clock = Clock.systemUTC();
        CampaignSender sender = sender(jdbi, clock, smtpPort, workerId, concurrency, claimBatch);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        sender.heartbeat();
        heartbeat.scheduleWithFixedDelay(sender::heartbeat, 200, 200, TimeUnit.MILLISECONDS);
        while (sender.sendDue().sent() > 0) {
            // until nothing is due
        }
        System.exit(0);
    }

    static CampaignSender sender(
            Jdbi jdbi, Clock clock, int smtpPort, String workerId, int concurrency) {
        return sender(jdbi, clock, smtpPort, workerId, concurrency, claimBatch(concurrency));
    }

    static CampaignSender sender(
            Jdbi jdbi,
            Clock clock,
            int smtpPort,
            String workerId,
            int concurrency,
            int claimBatch) {
        MailLinks links =
                new MailLinks(
                        WorkerFixture.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "unsubscribe@hilal.example");
        SmtpFactory smtp = new SmtpFactory();
        smtp.setPort(smtpPort);
        smtp.setConnections(2);
        smtp.setMaxAttempts(2);
        smtp.setFirstBackoffMillis(10);
        SmtpPool pool = smtp.build();
        TenantService tenants = new TenantService(jdbi, clock);
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        EmailComposer composer = new EmailComposer(jdbi, links);
        CampaignService campaigns =
                new CampaignService(
                        jdbi, HilalJson.newMapper(), clock, tenants, composer, ledger, t -> null);
        ExecutorService executor = Executors.newFixedThreadPool(concurrency);
        return new CampaignSender(
                jdbi,
                clock,
                ledger,
                campaigns,
                composer,
                tenants,
                pool,
                t -> null,
                executor,
                new CampaignSender.Settings(
                        workerId,
                        concurrency,
                        100,
                        Duration.ofSeconds(5),
                        Duration.ofMillis(1),
                        false,
                        0,
                        0,
                        claimBatch));
    }

    /**
     * Two claims per commit (when the concurrency allows): the kill then also lands between a
     * thread's sends of one step and the commit that records them.
     */
    static int claimBatch(int concurrency) {
        return concurrency >= 2 ? 2 : 1;
    }

    static DataSource pool(String url) {
        return pool(url, TestDatabase.user(), TestDatabase.password());
    }

    static DataSource pool(String url, String user, String password) {
        PoolProperties properties = new PoolProperties();
        properties.setUrl(io.hilal.core.db.JdbcUrls.forSender(url));
        properties.setDriverClassName("com.mysql.cj.jdbc.Driver");
        properties.setUsername(user);
        properties.setPassword(password);
        properties.setMaxActive(16);
        return new DataSource(properties);
    }
}
