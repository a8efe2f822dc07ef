package io.hilal.core.campaigns.sending;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendLedgerIT {
    private static final Instant EID_PLUS_7 = Instant.parse("2011-09-06T09:00:00Z");

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        volatile Instant now = EID_PLUS_7;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final TestClock clock = new TestClock();
    private final SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
    private SendLedger.Run run;

    @BeforeEach
    void run() {
        String tenant =
                new TenantService(jdbi, clock).createTenant("shop", "UTC").tenant().tenantId();
        run = new SendLedger.Run(tenant, "cmp_eid", "run_1");
    }

    private List<PlannedSend> recipients(int count) {
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(
                    new PlannedSend(
                            "c-" + i, EID_PLUS_7, EID_PLUS_7.plusSeconds(7 * 86400), i % 10 == 0));
        }
        return sends;
    }

    @Test
    void plansEachRecipientOnceAndRecordsTheHoldout() {
        ledger.plan(run, recipients(100));
        ledger.plan(run, recipients(100));
        assertThat(ledger.counts(run))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PLANNED", 90L, "HELD_OUT", 10L));
        assertThat(ledger.due(run, 1000)).hasSize(90).doesNotContain("c-0", "c-10");
    }

    @Test
    void racingWorkersClaimEachSendExactlyOnce() throws Exception {
        ledger.plan(run, recipients(200));
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String worker = "worker-" + w;
                tasks.add(
                        () -> {
                            for (String customer : ledger.due(run, 1000)) {
                                if (ledger.claim(run, customer, worker)) {
                                    if (!claimed.add(customer)) {
                                        duplicates.add(customer);
                                    }
                                    ledger.sent(run, customer, worker);
                                }
                            }
                            return null;
                        });
            }
            for (Future<Void> task : workers.invokeAll(tasks)) {
                task.get();
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(claimed).hasSize(180);
        assertThat(ledger.counts(run)).containsEntry("SENT", 180L).containsEntry("HELD_OUT", 20L);
    }

    @Test
    void listsDueSendsPlannedAndDeferredAlikeByWhenTheyBecameDueUpToTheLimit() {
        Instant week = EID_PLUS_7.plusSeconds(7 * 86400);
        ledger.plan(
                run,
                List.of(
                        new PlannedSend("f", EID_PLUS_7.minusSeconds(10), week, false),
                        new PlannedSend("e", EID_PLUS_7.minusSeconds(20), week, false),
                        new PlannedSend("d", EID_PLUS_7.minusSeconds(30), week, false),
                        new PlannedSend("c", EID_PLUS_7.minusSeconds(40), week, false),
                        new PlannedSend("b", EID_PLUS_7.minusSeconds(50), week, false),
                        new PlannedSend("a", EID_PLUS_7.minusSeconds(50), week, false),
                        new PlannedSend("later", EID_PLUS_7.plusSeconds(60), week, false),
                        new PlannedSend("gone", EID_PLUS_7.minusSeconds(90), EID_PLUS_7, false)));
        assertThat(ledger.claim(run, "b", "w")).isTrue();
        assertThat(ledger.claim(run, "d", "w")).isTrue();
        ledger.record(
                run,
                "w",
                List.of(
                        SendLedger.Outcome.deferred("b", EID_PLUS_7, "frequency cap"),
                        SendLedger.Outcome.deferred("d", EID_PLUS_7.plusSeconds(3600), "cap")));

        // A deferred send is due at its next attempt ("b" now), not at its send time.
        assertThat(ledger.dueWithoutExpiring(run, 3)).containsExactly("a", "c", "e");
        assertThat(ledger.dueWithoutExpiring(run, 100)).containsExactly("a", "c", "e", "f", "b");
    }

    @Test
    void countsTheTenantsSentEmailsByQuarterHourSoAnyLocalDayIsASum() {
        ledger.plan(run, recipients(10));
        // Kathmandu, at UTC+05:45, starts its 7 September at 18:15 UTC on the 6th.
        Instant dayStart =
                LocalDate.of(2011, 9, 7).atStartOfDay(ZoneId.of("Asia/Kathmandu")).toInstant();
        clock.now = dayStart.minusSeconds(60);
        try (SendLedger.Steps steps = ledger.steps(run, "w")) {
            steps.settleAndClaim(List.of(), List.of("c-1", "c-2", "c-3"), null, c -> null);
            steps.settleAndClaim(
                    List.of(SendLedger.Outcome.sent("c-1"), SendLedger.Outcome.sent("c-2")),
                    List.of(),
                    null,
                    c -> null);
            clock.now = dayStart.plusSeconds(60);
            steps.settleAndClaim(
                    List.of(SendLedger.Outcome.sent("c-3")), List.of(), null, c -> null);
        }
        assertThat(ledger.claim(run, "c-4", "w")).isTrue();
        ledger.sent(run, "c-4", "w");
        // Recorded twice (a retried commit, say), counted once: only a SENDING row becomes SENT.
        ledger.sent(run, "c-4", "w");

        SendLedgerDao dao = jdbi.onDemand(SendLedgerDao.class);
        assertThat(dao.sentSince(run.tenantId(), dayStart)).isEqualTo(2);
        assertThat(dao.sentSince(run.tenantId(), dayStart.minusSeconds(86400))).isEqualTo(4);
        assertThat(ledger.counts(run)).containsEntry("SENT", 4L);
    }

    @Test
    void aSendRecoveryHandedBackIsNeitherMarkedSentNorClaimedUnlessTheStepClaimsItAgain() {
        ledger.plan(run, recipients(10));
        try (SendLedger.Steps steps = ledger.steps(run, "w")) {
            steps.settleAndClaim(List.of(), List.of("c-1", "c-2", "c-3"), null, c -> null);
            // "w" never beat, so it seems dead: with resending on, recovery hands its sends in
            // flight back, PLANNED, while "w" is still sending them.
            assertThat(ledger.recoverDead(run, clock.instant(), true)).isEqualTo(3);
            SendLedger.Step step =
                    steps.settleAndClaim(
                            List.of(
                                    SendLedger.Outcome.sent("c-1"),
                                    SendLedger.Outcome.sent("c-2"),
                                    SendLedger.Outcome.sent("c-3")),
                            List.of("c-2", "c-4"),
                            null,
                            c -> null);
            assertThat(step.claimed())
                    .extracting(SendLedger.Candidate::customerId)
                    .containsExactly("c-2", "c-4");
        }
        assertThat(ledger.counts(run))
                .containsEntry("SENDING", 2L)
                .containsEntry("PLANNED", 7L)
                .doesNotContainKey("SENT");
        assertThat(ledger.dueWithoutExpiring(run, 100))
                .contains("c-1", "c-3")
                .doesNotContain("c-2");
        assertThat(jdbi.onDemand(SendLedgerDao.class).sentSince(run.tenantId(), Instant.EPOCH))
                .isZero();
    }

    @Test
    void aSendThatCanNoLongerGoOutInTimeExpiresInsteadOfGoingOutLate() {
        ledger.plan(run, recipients(10));
        clock.now = EID_PLUS_7.plusSeconds(8 * 86400);
        assertThat(ledger.due(run, 100)).isEmpty();
        assertThat(ledger.counts(run)).containsEntry("EXPIRED", 9L);
    }

    @Test
    void sendsInFlightAtACrashBecomeUnknownAndAreNotSentAgain() {
        ledger.plan(run, recipients(10));
        List<String> due = ledger.due(run, 100);
        assertThat(ledger.claim(run, due.get(0), "dead-worker")).isTrue();
        assertThat(ledger.claim(run, due.get(1), "dead-worker")).isTrue();
        assertThat(ledger.claim(run, due.get(2), "live-worker")).isTrue();

        assertThat(ledger.recoverInflight(run, "dead-worker")).isEqualTo(2);
        assertThat(ledger.due(run, 100))
                .hasSize(6)
                .doesNotContain(due.get(0), due.get(1), due.get(2));
        assertThat(ledger.claim(run, due.get(0), "live-worker")).isFalse();
        assertThat(ledger.counts(run))
                .containsEntry("UNKNOWN_INFLIGHT", 2L)
                .containsEntry("SENDING", 1L);
    }

    @Test
    void givesEachRecipientADeterministicMessageId() {
        String first = ledger.messageId(run, "c-1");
        assertThat(first)
                .isEqualTo(ledger.messageId(run, "c-1"))
                .matches("<[0-9a-f]{32}\\.cmp_eid@mail\\.hilal\\.example>");
        assertThat(ledger.messageId(run, "c-2")).isNotEqualTo(first);
        assertThat(ledger.messageId(new SendLedger.Run(run.tenantId(), "cmp_eid", "run_2"), "c-1"))
                .isNotEqualTo(first);
    }
}
