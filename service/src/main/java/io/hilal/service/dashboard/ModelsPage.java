package io.hilal.service.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hilal.core.experiments.ExperimentReport;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The models page: the active recommender's offline scores beside their baselines, the stored
 * versions (the newest few of each kind: the worker deletes older ones) with their metrics and
 * parameters, and the recent training runs.
 */
record ModelsPage(
        List<Quality> quality,
        boolean hasQuality,
        List<Version> versions,
        boolean hasVersions,
        List<Training> training,
        boolean hasTraining,
        String noTraining,
        ExperimentsSection experimentsSection) {

    /** One model's score at K = 20 on one task; {@code baseline} marks the baselines. */
    record Quality(
            String task,
            String model,
            String recall,
            String ndcg,
            String coverage,
            String customers,
            boolean baseline) {}

    /**
     * A stored model version; {@code summary}: the sentence read first (why a personal model
     * serves, or what the recommender was trained on), the metrics in full folded under it, behind
     * {@code figures}; without a summary the metrics show unfolded.
     */
    record Version(
            String kind,
            int version,
            boolean active,
            String trainedAt,
            String window,
            String size,
            String summary,
            List<Entry> metrics,
            boolean hasMetrics,
            boolean folded,
            String figures,
            List<Entry> params,
            boolean hasParams) {}

    /** A metric or parameter: nested names joined by dots. */
    record Entry(String name, String value) {}

    /** A requested training run. */
    record Training(
            String requestId, String status, String requestedAt, String finishedAt, String error) {}

    private static final List<String> BASELINES = List.of("popularity", "most-often-bought");

    static ModelsPage of(
            List<ModelVersion> active,
            List<ModelVersion> stored,
            List<ModelDao.TrainingStatus> runs,
            List<ExperimentReport> experiments,
            ObjectMapper mapper) {
        List<Quality> quality = quality(active, mapper);
        List<Version> versions =
                stored.stream()
                        .map(
                                version -> {
                                    List<Entry> metrics =
                                            entries(
                                                    withoutHoldout(version.metrics(), mapper),
                                                    mapper);
                                    List<Entry> params = entries(version.params(), mapper);
                                    String summary = summary(version.metrics(), mapper);
                                    return new Version(
                                            version.kind(),
                                            version.version(),
                                            version.active(),
                                            Text.TIME.format(version.trainedAt()),
                                            window(version),
                                            Text.count(version.sizeBytes()) + " bytes",
                                            summary,
                                            metrics,
                                            !metrics.isEmpty(),
                                            summary != null,
                                            metrics.size() == 1
                                                    ? "The one figure"
                                                    : "All " + metrics.size() + " figures",
                                            params,
                                            !params.isEmpty());
                                })
                        .toList();
        List<Training> training =
                runs.stream()
                        .map(
                                status ->
                                        new Training(
                                                status.requestId(),
                                                status.status().toLowerCase(Locale.ROOT),
                                                Text.TIME.format(status.requestedAt()),
                                                status.finishedAt() == null
                                                        ? "–"
                                                        : Text.TIME.format(status.finishedAt()),
                                                status.error()))
                        .toList();
        return new ModelsPage(
                quality,
                !quality.isEmpty(),
                versions,
                !versions.isEmpty(),
                training,
                !training.isEmpty(),
                noTraining(stored),
                ExperimentsSection.of(experiments));
    }

    /**
     * What the training section says when no run was requested: models trained without a request
     * (by {@code ./hilal demo}, which trains directly) were still trained, so it says when.
     */
    static String noTraining(List<ModelVersion> stored) {
        return stored.stream()
                .map(ModelVersion::trainedAt)
                .max(Comparator.naturalOrder())
                .map(
                        latest ->
                                "No training run was requested through the API; the versions"
                                        + " above were trained directly (as ./hilal demo"
                                        + " does), the latest on "
                                        + Text.TIME.format(latest)
                                        + ".")
                .orElse("No model was trained yet, and no training run was requested.");
    }

    /**
     * The version's sentence: a personal model's reason for serving as its training wrote it; the
     * recommender's purchases, customers and products; null when its metrics say neither.
     */
    static String summary(String json, ObjectMapper mapper) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode metrics = mapper.readTree(json);
            String reason = metrics.path("choiceReason").asText("");
            if (!reason.isBlank()) {
                return reason;
            }
            if (metrics.path("purchases").isIntegralNumber()
                    && metrics.path("customers").isIntegralNumber()
                    && metrics.path("products").isIntegralNumber()) {
                return "Trained on "
                        + Text.count(metrics.path("purchases").asLong())
                        + " purchases by "
                        + Text.count(metrics.path("customers").asLong())
                        + " customers, of "
                        + Text.count(metrics.path("products").asLong())
                        + " products.";
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String window(ModelVersion version) {
        if (version.windowEnd() == null) {
            return "–";
        }
        return (version.windowStart() == null
                        ? "all history"
                        : Text.TIME.format(version.windowStart()))
                + " to "
                + Text.TIME.format(version.windowEnd());
    }

    /**
     * The active recommender's offline scores at K = 20 on the tenant's last 30 days held out, in
     * the order training stored them.
     */
    private static List<Quality> quality(List<ModelVersion> active, ObjectMapper mapper) {
        List<Quality> rows = new ArrayList<>();
        for (ModelVersion version : active) {
            if (!"recommender".equals(version.kind()) || version.metrics() == null) {
                continue;
            }
            try {
                JsonNode holdout = mapper.readTree(version.metrics()).path("holdout");
                for (JsonNode score : holdout.path("scores")) {
                    if (score.path("k").asInt() != 20) {
                        continue;
                    }
                    rows.add(
                            new Quality(
                                    score.path("task").asText(),
                                    score.path("model").asText(),
                                    String.format(
                                            Locale.ROOT, "%.4f", score.path("recall").asDouble()),
                                    String.format(
                                            Locale.ROOT, "%.4f", score.path("ndcg").asDouble()),
                                    String.format(
                                            Locale.ROOT,
                                            "%.1f%%",
                                            100 * score.path("coverage").asDouble()),
                                    Text.count(score.path("customers").asLong()),
                                    BASELINES.contains(score.path("model").asText())));
                }
            } catch (IOException e) {
                // metrics of an older format: the versions table still shows them raw
            }
        }
        return rows;
    }

    /** The metrics without the holdout scores, which the quality table shows. */
    private static String withoutHoldout(String json, ObjectMapper mapper) {
        if (json == null || json.isBlank()) {
            return json;
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (node.isObject()) {
                ((ObjectNode) node).remove("holdout");
            }
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            return json;
        }
    }

    private static List<Entry> entries(String json, ObjectMapper mapper) {
        List<Entry> entries = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return entries;
        }
        try {
            flatten("", mapper.readTree(json), entries);
        } catch (IOException e) {
            entries.add(new Entry("(unreadable)", json));
        }
        return entries;
    }

    private static void flatten(String prefix, JsonNode node, List<Entry> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(
                        prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
                        field.getValue(),
                        out);
            }
        } else {
            String value =
                    node.isNumber() && !node.isIntegralNumber()
                            ? String.format(Locale.ROOT, "%.4f", node.asDouble())
                            : node.isIntegralNumber()
                                    ? Text.count(node.asLong())
                                    : node.isValueNode() ? node.asText() : node.toString();
            out.add(new Entry(prefix, value));
        }
    }
}
