package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.experiments.ArmAssignment;
import io.hilal.core.experiments.Experiment;
import io.hilal.core.experiments.ExperimentService;
import io.hilal.core.experiments.ImpressionDao;
import io.hilal.core.experiments.ImpressionIds;
import io.hilal.core.experiments.TeamDraft;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the rows and recommendations APIs serve, with the impression id of the response. Outside an
 * experiment that is the tenant's models, and the id is not stored (see {@link ImpressionIds}). A
 * customer of a running experiment gets their arm's "Picked for you" model (split), or a list that
 * team-drafts both arms' rankings (interleave: the "Picked for you" row, or for a popularity arm
 * its "Popular right now" row); that impression is stored, so that clicks and orders naming it are
 * attributed to the arm, or credited to the team of the clicked product.
 */
public final class ServedRecommendations {
    /** How long an instance serves a tenant's running experiment before checking again. */
    static final Duration EXPERIMENT_REFRESH = Duration.ofSeconds(5);

    private final RecommendationCache recommendations;
    private final ExperimentService experiments;
    private final Clock clock;
    private final LoadingCache<String, Optional<Experiment>> running;

    public ServedRecommendations(
            RecommendationCache recommendations, ExperimentService experiments, Clock clock) {
        this.recommendations = recommendations;
        this.experiments = experiments;
        this.clock = clock;
        this.running =
                Caffeine.newBuilder()
                        .maximumSize(10_000)
                        .expireAfterWrite(EXPERIMENT_REFRESH)
                        .build(experiments::running);
    }

    /** A page of rows and the impression id it was served under. */
    public record ServedRows(Rows rows, String impressionId) {}

    /** One list and the impression id it was served under. */
    public record ServedItems(List<ScoredItem> items, String impressionId) {}

    /** Serves this instance's new experiment (or none) at once after a change made here. */
    public void experimentChanged(String tenantId) {
        running.invalidate(tenantId);
    }

    public ServedRows rows(
            String tenantId,
            String customerId,
            RowsService.Context context,
            RowsFilter filter,
            int rowCount,
            int perRow) {
        Instant now = clock.instant();
        Optional<Experiment> experiment = running.get(tenantId);
        if (experiment.isEmpty()) {
            return new ServedRows(
                    recommendations.rows(tenantId, customerId, context, filter, rowCount, perRow),
                    ImpressionIds.issue(tenantId, false, now));
        }
        Experiment running = experiment.get();
        String impressionId = ImpressionIds.issue(tenantId, true, now);
        if (!running.interleaved()) {
            char arm = ArmAssignment.arm(tenantId, running.experimentId(), customerId);
            Rows rows =
                    recommendations.rows(
                            tenantId,
                            customerId,
                            context,
                            filter,
                            rowCount,
                            perRow,
                            running.arm(arm));
            record(tenantId, running, impressionId, String.valueOf(arm), customerId, now, null);
            return new ServedRows(rows, impressionId);
        }
        Rows a =
                recommendations.rows(
                        tenantId, customerId, context, filter, rowCount, perRow, running.a());
        Rows b =
                recommendations.rows(
                        tenantId, customerId, context, filter, rowCount, perRow, running.b());
        List<ScoredItem> rankingA = ranking(a, running.a());
        List<ScoredItem> rankingB = ranking(b, running.b());
        if (rankingA.isEmpty() && rankingB.isEmpty()) {
            // Neither arm has a list for this customer: nothing to compare, nothing stored.
            return new ServedRows(a, ImpressionIds.issue(tenantId, false, now));
        }
        List<TeamDraft.Pick> picks =
                TeamDraft.interleave(
                        ids(rankingA),
                        ids(rankingB),
                        perRow,
                        ImpressionIds.decode(tenantId, impressionId).seed());
        List<ScoredItem> interleaved = items(picks, rankingA, rankingB);
        record(tenantId, running, impressionId, "I", customerId, now, picks);
        return new ServedRows(page(a, b, interleaved, rowCount), impressionId);
    }

    public ServedItems recommendations(
            String tenantId, String customerId, RowsFilter filter, int limit) {
        Instant now = clock.instant();
        Optional<Experiment> experiment = running.get(tenantId);
        if (experiment.isEmpty()) {
            return new ServedItems(
                    recommendations.recommendations(tenantId, customerId, filter, limit),
                    ImpressionIds.issue(tenantId, false, now));
        }
        Experiment running = experiment.get();
        String impressionId = ImpressionIds.issue(tenantId, true, now);
        if (!running.interleaved()) {
            char arm = ArmAssignment.arm(tenantId, running.experimentId(), customerId);
            List<ScoredItem> items =
                    recommendations.recommendations(
                            tenantId, customerId, filter, limit, running.arm(arm));
            record(tenantId, running, impressionId, String.valueOf(arm), customerId, now, null);
            return new ServedItems(items, impressionId);
        }
        List<ScoredItem> a =
                recommendations.recommendations(tenantId, customerId, filter, limit, running.a());
        List<ScoredItem> b =
                recommendations.recommendations(tenantId, customerId, filter, limit, running.b());
        List<TeamDraft.Pick> picks =
                TeamDraft.interleave(
                        ids(a), ids(b), limit, ImpressionIds.decode(tenantId, impressionId).seed());
        record(tenantId, running, impressionId, "I", customerId, now, picks);
        return new ServedItems(items(picks, a, b), impressionId);
    }

    private void record(
            String tenantId,
            Experiment experiment,
            String impressionId,
            String arm,
            String customerId,
            Instant now,
            List<TeamDraft.Pick> picks) {
        experiments.record(
                tenantId,
                new ImpressionDao.Impression(
                        impressionId,
                        experiment.experimentId(),
                        arm,
                        customerId,
                        now,
                        picks == null
                                ? null
                                : picks.stream()
                                        .map(TeamDraft.Pick::productId)
                                        .collect(Collectors.joining("\t")),
                        picks == null
                                ? null
                                : picks.stream()
                                        .map(pick -> String.valueOf(pick.team()))
                                        .collect(Collectors.joining())));
    }

    /** The list an arm contributes to an interleaved page. */
    private static List<ScoredItem> ranking(Rows rows, Experiment.Arm arm) {
        String row = Experiment.POPULARITY.equals(arm.kind()) ? "popular" : "picked-for-you";
        return rows.rows().stream()
                .filter(candidate -> candidate.id().equals(row))
                .findFirst()
                .map(Rows.Row::items)
                .orElse(List.of());
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::productId).toList();
    }

    private static List<ScoredItem> items(
            List<TeamDraft.Pick> picks, List<ScoredItem> a, List<ScoredItem> b) {
        Map<String, ScoredItem> byId = new HashMap<>();
        b.forEach(item -> byId.put(item.productId(), item));
        a.forEach(item -> byId.put(item.productId(), item));
        return picks.stream().map(pick -> byId.get(pick.productId())).toList();
    }

    /**
     * The page around the interleaved list: arm A's page (B's when only B has the list) with its
     * "Picked for you" row holding the interleaved list, and its products left out of the other
     * rows, so nothing shows twice.
     */
    private static Rows page(Rows a, Rows b, List<ScoredItem> interleaved, int rowCount) {
        Rows base = a.rows().stream().anyMatch(row -> row.id().equals("picked-for-you")) ? a : b;
        if (base.rows().stream().noneMatch(row -> row.id().equals("picked-for-you"))) {
            base = a;
        }
        Rows.Row picked =
                new Rows.Row(
                        "picked-for-you",
                        "Picked for you",
                        "Chosen from everything you bought and looked at, by shoppers with"
                                + " similar tastes",
                        interleaved);
        Set<String> shown = new HashSet<>(ids(interleaved));
        List<Rows.Row> rows = new ArrayList<>();
        boolean placed = false;
        for (Rows.Row row : base.rows()) {
            if (row.id().equals("picked-for-you")) {
                rows.add(picked);
                placed = true;
                continue;
            }
            List<ScoredItem> rest =
                    row.items().stream().filter(item -> !shown.contains(item.productId())).toList();
            if (!rest.isEmpty()) {
                rows.add(new Rows.Row(row.id(), row.title(), row.evidence(), rest));
            }
        }
        if (!placed) {
            rows.add(0, picked);
        }
        return new Rows(
                base.customerId(),
                base.personalized(),
                rows.subList(0, Math.min(rowCount, rows.size())));
    }
}
