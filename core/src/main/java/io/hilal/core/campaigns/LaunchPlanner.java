package io.hilal.core.campaigns;

import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.reco.RecommendationModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.jdbi.v3.core.Jdbi;

/**
 * A campaign's first run planned customer by customer: the audience, streamed from the database in
 * customer id order, less the tenant's program holdout, each member given a send time (the local
 * time, or their best hour), the late policy for times already passed, and a place in the holdout.
 * Each send goes to a consumer as it is planned, so planning holds no audience in memory: a launch
 * writes the sends to the ledger in batches, a preview or the studio's estimate only counts them.
 */
final class LaunchPlanner {
    /**
     * What a plan held: its {@code sends} (held out ones among them, {@code holdoutSize}), those of
     * the program holdout it left out ({@code programHeld}), and its first send, last validity end,
     * late sends and earliest slot before the late policy. {@code matching}: the customers who met
     * the rules, reachable or not, when counted, else -1.
     */
    record Plan(
            int matching,
            int sends,
            int holdoutSize,
            int programHeld,
            Instant firstSendAt,
            Instant lastValidAt,
            CampaignService.Lateness late,
            Instant earliestSlot) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final AudienceService audiences;
    private final Function<String, RecommendationModel> models;

    LaunchPlanner(
            Jdbi jdbi,
            Clock clock,
            AudienceService audiences,
            Function<String, RecommendationModel> models) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.audiences = audiences;
        this.models = models;
    }

    /**
     * Plans the run, handing each send to {@code sends} in customer id order. The consumer runs
     * while the audience is read on a connection of its own, so it may write on another (the
     * launch's transaction) but must not read from this one.
     *
     * @param dates the tenant's calendar dates, by name
     * @param countUnreachable also count the customers who match the rules but may not be emailed
     *     (the studio's figure; a launch leaves them to the database), else {@code matching} is -1
     */
    Plan plan(
            String tenantId,
            ZoneId tenantZone,
            Map<String, LocalDate> dates,
            Campaign campaign,
            String salt,
            boolean countUnreachable,
            Consumer<PlannedSend> sends) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, tenantZone);
        CampaignRequest definition = campaign.definition();
        SendTimes times = new SendTimes(definition, today, dates);
        boolean needsModel =
                CampaignRequest.REPEAT_DUE.equals(definition.schedule().type())
                        || definition.audience().repeatDueWithinDays() != null;
        RecommendationModel model = needsModel ? models.apply(tenantId) : null;
        Instant dueFrom = null;
        Instant dueTo = null;
        if (CampaignRequest.REPEAT_DUE.equals(definition.schedule().type())) {
            dueFrom = today.atStartOfDay(tenantZone).toInstant();
            dueTo = times.windowEnd().plusDays(1).atStartOfDay(tenantZone).toInstant();
        }
        String latePolicy =
                definition.schedule().latePolicy() == null
                        ? CampaignRequest.LATE_SKIP
                        : definition.schedule().latePolicy();
        ZoneId fixedZone =
                definition.schedule().timeZone() == null
                        ? null
                        : ZoneId.of(definition.schedule().timeZone());
        Tally tally =
                new Tally(
                        now,
                        times,
                        new Holdout(salt, campaign.holdoutShare()),
                        // The tenant's program holdout: customers no campaign emails, in neither
                        // of its arms.
                        new ProgramHoldoutService(jdbi, clock).get(tenantId),
                        SendTimeArms.of(salt, definition.schedule()),
                        definition,
                        latePolicy,
                        fixedZone,
                        sends);
        if (tally.arms != null) {
            tally.hours = new ActivityHours(jdbi).learn(tenantId, tenantZone, now);
        }
        int matching =
                audiences.forEachMember(
                        tenantId,
                        definition.audience(),
                        tenantZone,
                        now,
                        model,
                        dueFrom,
                        dueTo,
                        countUnreachable,
                        tally::add);
        return new Plan(
                countUnreachable ? matching : -1,
                tally.planned,
                tally.held,
                tally.programHeld,
                tally.first,
                tally.last,
                new CampaignService.Lateness(
                        latePolicy, tally.passed, tally.moved, tally.passed - tally.moved),
                tally.earliest);
    }

    /** The plan's figures so far, and the rules that give each member a send. */
    private static final class Tally {
        private final Instant now;
        private final SendTimes times;
        private final Holdout holdout;
        private final ProgramHoldout program;
        private final SendTimeArms arms;
        private final CampaignRequest definition;
        private final String latePolicy;
        private final ZoneId fixedZone;
        private final Consumer<PlannedSend> sends;
        private ActivityHours.Learned hours;
        private int planned;
        private int held;
        private int programHeld;
        private int passed;
        private int moved;
        private Instant earliest;
        private Instant first;
        private Instant last;

        Tally(
                Instant now,
                SendTimes times,
                Holdout holdout,
                ProgramHoldout program,
                SendTimeArms arms,
                CampaignRequest definition,
                String latePolicy,
                ZoneId fixedZone,
                Consumer<PlannedSend> sends) {
            this.now = now;
            this.times = times;
            this.holdout = holdout;
            this.program = program;
            this.arms = arms;
            this.definition = definition;
            this.latePolicy = latePolicy;
            this.fixedZone = fixedZone;
            this.sends = sends;
        }

        void add(AudienceService.Member member) {
            if (program.heldOut(member.customerId())) {
                programHeld++;
                return;
            }
            SendTimes.Slot slot = times.slot(member.zone(), member.due());
            if (slot == null) {
                return;
            }
            if (arms != null && !arms.fixedTime(member.customerId())) {
                slot = bestSlot(times, member, hours, definition, slot, now);
            }
            earliest =
                    earliest == null || slot.sendAt().isBefore(earliest) ? slot.sendAt() : earliest;
            if (slot.sendAt().isBefore(now)) {
                passed++;
                SendTimes.Slot late =
                        LateSends.apply(
                                latePolicy,
                                slot,
                                now,
                                fixedZone == null ? member.zone() : fixedZone,
                                definition.validity());
                if (late == null) {
                    // Still planned, so the ledger and the holdout account for everyone, but
                    // valid for no time at all: the launch records it EXPIRED.
                    slot = new SendTimes.Slot(slot.sendAt(), slot.sendAt());
                } else {
                    slot = late;
                    moved++;
                }
            }
            boolean heldOut = holdout.heldOut(member.customerId());
            held += heldOut ? 1 : 0;
            planned++;
            first = first == null || slot.sendAt().isBefore(first) ? slot.sendAt() : first;
            last = last == null || slot.validUntil().isAfter(last) ? slot.validUntil() : last;
            sends.accept(
                    new PlannedSend(
                            member.customerId(), slot.sendAt(), slot.validUntil(), heldOut));
        }
    }

    /**
     * The customer's slot at their best hour of the schedule's day: only an hour outside the quiet
     * hours, not yet over and starting inside an absolute validity end (an hour under way sends
     * now); with none, the local time's slot.
     */
    private static SendTimes.Slot bestSlot(
            SendTimes times,
            AudienceService.Member member,
            ActivityHours.Learned hours,
            CampaignRequest definition,
            SendTimes.Slot atLocalTime,
            Instant now) {
        IntPredicate quiet = BestHours.outside(definition.limits().quietHours());
        OptionalInt hour =
                hours.bestHour(
                        member.customerId(),
                        member.zone(),
                        h -> {
                            if (!quiet.test(h)) {
                                return false;
                            }
                            SendTimes.Slot slot =
                                    times.slot(member.zone(), member.due(), LocalTime.of(h, 0));
                            Instant start = slot.sendAt().isBefore(now) ? now : slot.sendAt();
                            return slot.sendAt().plus(Duration.ofHours(1)).isAfter(now)
                                    && slot.validUntil().isAfter(start);
                        });
        if (hour.isEmpty()) {
            return atLocalTime;
        }
        SendTimes.Slot slot =
                times.slot(member.zone(), member.due(), LocalTime.of(hour.getAsInt(), 0));
        return slot.sendAt().isBefore(now) ? new SendTimes.Slot(now, slot.validUntil()) : slot;
    }
}
