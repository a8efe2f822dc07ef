package io.hilal.bench;

import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The send ledger's part of campaign sending alone, without SMTP or rendering: a diagnostic for the
 * database's share of {@link CampaignSendBenchmark}, whose rounds are too noisy to show a change of
 * a few percent there. Single-threaded, one step of CLAIM_BATCH sends per commit, each recording
 * the previous step's sends as SENT, as a sending pipeline does.
 *
 * <ul>
 *   <li><i>Hilal:</i> {@link SendLedger.Steps#settleAndClaim} over one held connection: locks the
 *       step's customers and claimable sends, reads suppressions and recent campaign emails (a
 *       frequency cap is set), marks the previous step SENT and claims this one.
 *   <li><i>Baseline:</i> only the two writes an exactly-once ledger cannot do without, in plain
 *       JDBC on one connection: each step marks the previous step's sends SENT and claims its own
 *       (PLANNED → SENDING) by primary key, then commits. No lock, no check.
 * </ul>
 *
 * <p>Both list their due sends the same way, 500 at a time, and each side gets its own freshly
 * planned run of the same size every repetition, interleaved A B A B.
 *
 * <p>Run from the repository root: {@code bench/run LedgerStepsBenchmark [SENDS REPS CLAIM_BATCH]}.
 */
public final class LedgerStepsBenchmark {
    private static final int LISTING = 500;

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(CampaignSendBenchmark.pool(TestDatabase.newSchema(), 4)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        System.out.printf(
                "Ledger steps: %,d sends per repetition, %d per step, %d repetitions%n",
                sends, batch, reps);
        double[] bare = new double[reps];
        double[] hilal = new double[reps];
        for (int rep = -2; rep < reps; rep++) {
            SendLedger.Run bareRun = plan(jdbi, tenants, ledger, sends, "bare-" + rep);
            SendLedger.Run hilalRun = plan(jdbi, tenants, ledger, sends, "hilal-" + rep);
            Round a = bareSteps(jdbi, ledger, bareRun, batch);
            Round b = hilalSteps(ledger, hilalRun, batch);
            if (rep >= 0) {
                bare[rep] = a.rate();
                hilal[rep] = b.rate();
                System.out.printf(
                        "rep %d: bare writes %,.0f sends/s, Hilal steps %,.0f sends/s, ratio %.2f"
                                + " (CPU ms per 1,000 sends: bare JVM %.0f, database %.0f; Hilal"
                                + " JVM %.0f, database %.0f)%n",
                        rep + 1,
                        a.rate(),
                        b.rate(),
                        b.rate() / a.rate(),
                        a.jvmMillisPerThousand(),
                        a.databaseMillisPerThousand(),
                        b.jvmMillisPerThousand(),
                        b.databaseMillisPerThousand());
            }
        }
        double[] ratios = new double[reps];
        for (int i = 0; i < reps; i++) {
            ratios[i] = hilal[i] / bare[i];
        }
        System.out.printf(
                "| bare ledger writes | %,.0f | %,.0f – %,.0f |%n",
                Stats.median(bare), Stats.min(bare), Stats.max(bare));
        System.out.printf(
                "| Hilal ledger steps | %,.0f | %,.0f – %,.0f |%n",
                Stats.median(hilal), Stats.min(hilal), Stats.max(hilal));
        System.out.printf(
                "| ratio | %.2f | %.2f – %.2f |%n",
                Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
        System.exit(0);
    }

    /** A round's rate and the CPU it used, per 1,000 sends. */
    private record Round(int sends, double seconds, CpuTime cpu) {
        double rate() {
            return sends / seconds;
        }

        double jvmMillisPerThousand() {
            return cpu.jvm() / 1e6 / sends * 1000;
        }

        double databaseMillisPerThousand() {
            return cpu.database() / 1e6 / sends * 1000;
        }
    }

    /** A fresh tenant with {@code count} customers and a run planning one send to each. */
    private static SendLedger.Run plan(
            Jdbi jdbi, TenantService tenants, SendLedger ledger, int count, String name) {
        String tenantId = tenants.createTenant(name, "UTC").tenant().tenantId();
        CampaignSendBenchmark.addCustomers(jdbi, tenantId, count);
        Instant now = Instant.now();
        List<PlannedSend> sends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sends.add(
                    new PlannedSend(
                            "c-" + i, now.minusSeconds(60), now.plus(Duration.ofDays(1)), false));
        }
        SendLedger.Run run = new SendLedger.Run(tenantId, "cmp_bench", "run_1");
        ledger.plan(run, sends);
        return run;
    }

    private static Round hilalSteps(SendLedger ledger, SendLedger.Run run, int batch)
            throws InterruptedException {
        CampaignSendBenchmark.settle();
        Instant capSince = Instant.now().minus(Duration.ofDays(7));
        CpuTime before = CpuTime.now();
        long start = System.nanoTime();
        int claimed = 0;
        List<SendLedger.Outcome> done = List.of();
        try (SendLedger.Steps steps = ledger.steps(run, "bench")) {
            for (List<String> due = ledger.dueWithoutExpiring(run, LISTING);
                    !due.isEmpty();
                    due = ledger.dueWithoutExpiring(run, LISTING)) {
                for (int from = 0; from < due.size(); from += batch) {
                    List<String> ids = due.subList(from, Math.min(due.size(), from + batch));
                    SendLedger.Step step =
                            steps.settleAndClaim(done, ids, capSince, candidate -> null);
                    List<SendLedger.Outcome> sent = new ArrayList<>(step.claimed().size());
                    for (SendLedger.Candidate candidate : step.claimed()) {
                        sent.add(SendLedger.Outcome.sent(candidate.customerId()));
                    }
                    claimed += sent.size();
                    done = sent;
                }
            }
            steps.settleAndClaim(done, List.of(), capSince, candidate -> null);
        }
        return new Round(claimed, Stats.seconds(start), CpuTime.since(before));
    }

    private static Round bareSteps(Jdbi jdbi, SendLedger ledger, SendLedger.Run run, int batch)
            throws SQLException, InterruptedException {
        CampaignSendBenchmark.settle();
        CpuTime before = CpuTime.now();
        long start = System.nanoTime();
        int claimed = 0;
        Map<String, PreparedStatement> prepared = new HashMap<>();
        try (Handle handle = jdbi.open()) {
            Connection connection = handle.getConnection();
            connection.setAutoCommit(false);
            List<String> previous = List.of();
            for (List<String> due = ledger.dueWithoutExpiring(run, LISTING);
                    !due.isEmpty();
                    due = ledger.dueWithoutExpiring(run, LISTING)) {
                for (int from = 0; from < due.size(); from += batch) {
                    List<String> ids = due.subList(from, Math.min(due.size(), from + batch));
                    Timestamp now = utcNow();
                    if (!previous.isEmpty()) {
                        update(
                                prepared,
                                connection,
                                "UPDATE campaign_sends SET state = 'SENT', due_at = NULL,"
                                        + " sent_at = ?, updated_at = ?",
                                now,
                                run,
                                previous);
                    }
                    update(
                            prepared,
                            connection,
                            "UPDATE campaign_sends SET state = 'SENDING', updated_at = ?,"
                                    + " worker = 'bench', attempts = attempts + 1",
                            now,
                            run,
                            ids);
                    connection.commit();
                    claimed += ids.size();
                    previous = List.copyOf(ids);
                }
            }
            Timestamp now = utcNow();
            update(
                    prepared,
                    connection,
                    "UPDATE campaign_sends SET state = 'SENT', due_at = NULL, sent_at = ?,"
                            + " updated_at = ?",
                    now,
                    run,
                    previous);
            connection.commit();
            for (PreparedStatement statement : prepared.values()) {
                statement.close();
            }
            connection.setAutoCommit(true);
        }
        return new Round(claimed, Stats.seconds(start), CpuTime.since(before));
    }

    /**
     * {@code set} (whose placeholders all take {@code now}) on the sends of {@code run} to {@code
     * customerIds}, by primary key; each statement prepared once, as Hilal's are.
     */
    private static void update(
            Map<String, PreparedStatement> prepared,
            Connection connection,
            String set,
            Timestamp now,
            SendLedger.Run run,
            List<String> customerIds)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder(set)
                        .append(
                                " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ? AND"
                                        + " customer_id IN (");
        for (int i = 0; i < customerIds.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        PreparedStatement statement = prepared.get(sql.toString());
        if (statement == null) {
            statement = connection.prepareStatement(sql.toString());
            prepared.put(sql.toString(), statement);
        }
        int at = 1;
        for (int marks = countMarks(set); marks > 0; marks--) {
            statement.setTimestamp(at++, now);
        }
        statement.setString(at++, run.tenantId());
        statement.setString(at++, run.campaignId());
        statement.setString(at++, run.runId());
        for (String customerId : customerIds) {
            statement.setString(at++, customerId);
        }
        statement.executeUpdate();
    }

    /** Now as a UTC {@code DATETIME}, as Hilal stores instants. */
    private static Timestamp utcNow() {
        return Timestamp.valueOf(Instant.now().atOffset(ZoneOffset.UTC).toLocalDateTime());
    }

    private static int countMarks(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }
}
