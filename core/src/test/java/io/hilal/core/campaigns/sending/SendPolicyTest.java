package io.hilal.core.campaigns.sending;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.program.ProgramHoldout;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendPolicyTest {
    private static final Instant NOW = Instant.parse("2026-04-06T12:00:00Z");
    private static final ZoneId TENANT = ZoneId.of("Europe/London");

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            nullValues = "NULL",
            delimiter = '|',
            value = {
                // case | email | consent | suppressed | zone | valid until | quiet | cap | sends
                // in the cap's window (hours ago) | expected state | reason or next attempt
                "may go | a@x.example | granted | false | NULL | 2026-04-08T00:00:00Z | NULL | NULL"
                        + " | NULL | NULL | NULL",
                "no address | NULL | granted | false | NULL | 2026-04-08T00:00:00Z | NULL | NULL"
                        + " | NULL | SUPPRESSED | no email address",
                "consent withdrawn | a@x.example | withdrawn | false | NULL | 2026-04-08T00:00:00Z"
                        + " | NULL | NULL | NULL | SUPPRESSED | no email consent",
                "consent unknown | a@x.example | NULL | false | NULL | 2026-04-08T00:00:00Z | NULL"
                        + " | NULL | NULL | SUPPRESSED | no email consent",
                "suppressed address | a@x.example | granted | true | NULL | 2026-04-08T00:00:00Z"
                        + " | NULL | NULL | NULL | SUPPRESSED | address on the suppression list",
                "offer ended | a@x.example | granted | false | NULL | 2026-04-06T12:00:00Z | NULL"
                        + " | NULL | NULL | EXPIRED | offer ended before it could be sent",
                // 12:00 UTC is 15:00 in Riyadh: inside 14:00-16:00 there, outside in London.
                "quiet hours in the customer's zone | a@x.example | granted | false | Asia/Riyadh"
                        + " | 2026-04-08T00:00:00Z | 14:00-16:00 | NULL | NULL | DEFERRED"
                        + " | 2026-04-06T13:00:00Z",
                "quiet hours elsewhere | a@x.example | granted | false | NULL"
                        + " | 2026-04-08T00:00:00Z | 14:00-16:00 | NULL | NULL | NULL | NULL",
                // No zone: the tenant's (London, 13:00 local in April): inside 12:30-14:00.
                "quiet hours in the tenant's zone | a@x.example | granted | false | NULL"
                        + " | 2026-04-08T00:00:00Z | 12:30-14:00 | NULL | NULL | DEFERRED"
                        + " | 2026-04-06T13:00:00Z",
                "quiet hours across midnight | a@x.example | granted | false | Asia/Tokyo"
                        + " | 2026-04-08T00:00:00Z | 20:00-08:00 | NULL | NULL | DEFERRED"
                        + " | 2026-04-06T23:00:00Z",
                "quiet until after the offer | a@x.example | granted | false | Asia/Riyadh"
                        + " | 2026-04-06T12:30:00Z | 14:00-16:00 | NULL | NULL | EXPIRED"
                        + " | quiet hours until after the offer ended",
                "quiet hours off | a@x.example | granted | false | Asia/Riyadh"
                        + " | 2026-04-08T00:00:00Z | off | NULL | NULL | NULL | NULL",
                "under the cap | a@x.example | granted | false | NULL | 2026-04-08T00:00:00Z | NULL"
                        + " | 2/7 | 30 | NULL | NULL",
                "at the cap | a@x.example | granted | false | NULL | 2026-04-08T00:00:00Z | NULL"
                        + " | 2/7 | 150 30 | DEFERRED | 2026-04-07T06:00:00Z",
                "at the cap past the offer | a@x.example | granted | false | NULL"
                        + " | 2026-04-07T00:00:00Z | NULL | 2/7 | 150 30 | EXPIRED"
                        + " | frequency cap until after the offer ended",
                "consent before quiet hours | a@x.example | withdrawn | false | Asia/Riyadh"
                        + " | 2026-04-08T00:00:00Z | 14:00-16:00 | NULL | NULL | SUPPRESSED"
                        + " | no email consent",
            })
    void decidesWhetherASendMayGoOutNow(
            String name,
            String email,
            String consent,
            boolean suppressed,
            String zone,
            Instant validUntil,
            String quiet,
            String cap,
            String hoursAgo,
            SendState expected,
            String detail) {
        List<Instant> recent = new ArrayList<>();
        if (hoursAgo != null) {
            for (String hours : hoursAgo.split(" ")) {
                recent.add(NOW.minusSeconds(Long.parseLong(hours) * 3600));
            }
            recent.sort(null);
        }
        CampaignRequest.QuietHours quietHours =
                quiet == null
                        ? null
                        : "off".equals(quiet)
                                ? CampaignRequest.QuietHours.OFF
                                : new CampaignRequest.QuietHours(
                                        LocalTime.parse(quiet.split("-")[0]),
                                        LocalTime.parse(quiet.split("-")[1]));
        CampaignRequest.FrequencyCap frequencyCap =
                cap == null
                        ? null
                        : new CampaignRequest.FrequencyCap(
                                Integer.parseInt(cap.split("/")[0]),
                                Integer.parseInt(cap.split("/")[1]));
        SendLedger.Candidate candidate =
                new SendLedger.Candidate(
                        "c-1", "<m@x>", validUntil, email, zone, consent, suppressed, recent);

        SendLedger.Outcome outcome =
                SendPolicy.check(
                        candidate,
                        NOW,
                        TENANT,
                        new CampaignRequest.Limits(frequencyCap, quietHours, null, null));

        if (expected == null) {
            assertThat(outcome).as(name).isNull();
            return;
        }
        assertThat(outcome.state()).as(name).isEqualTo(expected);
        if (expected == SendState.DEFERRED) {
            assertThat(outcome.nextAttempt()).as(name).isEqualTo(Instant.parse(detail));
        } else {
            assertThat(outcome.reason()).as(name).isEqualTo(detail);
        }
    }

    @Test
    void aCustomerInTheProgramHoldoutIsNotEmailedWhateverElseHolds() {
        ProgramHoldout program = new ProgramHoldout(0.2, "policy-test", NOW);
        List<String> held = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            (program.heldOut("c-" + i) ? held : free).add("c-" + i);
        }
        assertThat(held).isNotEmpty();
        CampaignRequest.Limits none = new CampaignRequest.Limits(null, null, null, null);
        for (String customer : held) {
            SendLedger.Outcome outcome =
                    SendPolicy.check(candidate(customer), NOW, TENANT, none, program);
            assertThat(outcome.state()).isEqualTo(SendState.SUPPRESSED);
            assertThat(outcome.reason()).isEqualTo(SendPolicy.PROGRAM_HOLDOUT);
            assertThat(SendPolicy.check(candidate(customer), NOW, TENANT, none, ProgramHoldout.OFF))
                    .as("off, the same customer may be emailed")
                    .isNull();
        }
        for (String customer : free) {
            assertThat(SendPolicy.check(candidate(customer), NOW, TENANT, none, program)).isNull();
        }
    }

    private static SendLedger.Candidate candidate(String customerId) {
        return new SendLedger.Candidate(
                customerId,
                "<m@x>",
                Instant.parse("2026-04-08T00:00:00Z"),
                "a@x.example",
                null,
                "granted",
                false,
                List.of());
    }

    @ParameterizedTest(name = "worker {0}, campaign {1}: {2}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "0, NULL, 0",
                "0, 500, 500",
                "1000, NULL, 1000",
                "1000, 500, 500",
                "300, 500, 300"
            })
    void aCampaignsDailyCapOnlyLowersTheWorkers(long tenant, Integer campaign, long expected) {
        assertThat(SendPolicy.dailyCap(tenant, campaign)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "cap {0}, sent today {1}: {2} left")
    @CsvSource({
        "0, 0, " + Long.MAX_VALUE,
        "0, 5000, " + Long.MAX_VALUE,
        "100, 0, 100",
        "100, 99, 1",
        "100, 100, 0",
        // Another worker's sends of the same moment can take the count past the cap.
        "100, 130, 0"
    })
    void theDailyCapLeavesWhatItHasNotSentYetToday(long cap, long sentToday, long left) {
        assertThat(SendPolicy.leftToday(cap, sentToday)).isEqualTo(left);
    }

    @ParameterizedTest(name = "worker {0}, campaign {1}, quota {2} -> {3}")
    @CsvSource(
            nullValues = "null",
            value = {
                "0, null, null, 0",
                "0, null, 50, 50",
                "100, null, 50, 50",
                "40, null, 50, 40",
                "0, 30, 50, 30",
                "100, 80, 60, 60"
            })
    void theOperatorsQuotaOnlyLowersTheDailyCap(
            long worker, Integer campaign, Long quota, long expected) {
        assertThat(SendPolicy.dailyCap(worker, campaign, quota)).isEqualTo(expected);
    }
}
