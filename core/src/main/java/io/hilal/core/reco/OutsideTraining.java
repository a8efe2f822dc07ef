package io.hilal.core.reco;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.ValidationSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The largest tenants' factor model, fitted by {@link LargeTenantTraining}'s engine (Spark) with
 * one setting, chosen by the grid on a hash sample of the tenant's customers in this JVM when there
 * is a grid ({@link AlsTuning#chooseOnSample}, as an in-JVM tenant's large enough to be sampled),
 * else the configured one: once on the validation split, for the figures serving and the merchant
 * go by, and once on all the data. The pairs are streamed from the database into the engine's input
 * files (the split made customer by customer, a hash sample of customers kept for scoring: {@link
 * StreamedPairs}), so the worker's heap does not grow with them; the factors come back one model at
 * a time, in one copy. Stored as an ordinary ALS version, served like any other; its params say
 * where it was trained and why.
 */
public final class OutsideTraining {
    /** Validation's ranking depth, as the in-JVM grid's. */
    private static final int K = 20;

    private final RecommendationTrainer trainer;
    private final LargeTenantTraining large;

    public OutsideTraining(RecommendationTrainer trainer, LargeTenantTraining large) {
        this.trainer = trainer;
        this.large = large;
    }

    /** A model version to store, and a line for the log. */
    public record Fitted(ModelStore.Activation activation, String note) {}

    /**
     * The tenant's factor model fitted on the engine, or empty when the tenant stays in the JVM:
     * the database counts fewer pairs than the threshold (or too few customers to learn tastes
     * from), or netting refunds leaves fewer.
     */
    public Optional<Fitted> train(String tenantId) {
        InteractionDao.PurchaseCounts counts = trainer.purchaseCounts(tenantId);
        if (!large.appliesTo(counts.pairs()) || counts.customers() < HoldoutMetrics.MIN_CUSTOMERS) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        Path dir = ExternalAls.newJobDirectory(large.engine().workDir());
        return ExternalAls.inJobDirectory(dir, () -> fit(tenantId, counts, dir, started));
    }

    /** The engine's fits of the tenant's pairs, streamed into {@code dir}. */
    private Optional<Fitted> fit(
            String tenantId, InteractionDao.PurchaseCounts counts, Path dir, long started) {
        StreamedPairs pairs = trainer.streamPairs(tenantId, counts, dir, large.gridSample(counts));
        if (!large.appliesTo(pairs.all().size())
                || pairs.customers() < HoldoutMetrics.MIN_CUSTOMERS) {
            return Optional.empty();
        }
        Optional<AlsTuning.Choice> tuned = tune(pairs);
        AlsParams chosen =
                LargeTenantTraining.paramsFor(
                        pairs.all(), tuned.map(AlsTuning.Choice::params).orElse(large.params()));
        // Both fits in one job: the engine's start-up (a JVM, a Spark context) is paid once;
        // the validation model is scored and dropped before the final one is read.
        List<AlsTuning.Choice> validation = new ArrayList<>();
        List<AlsModel> fitted = new ArrayList<>();
        large.engine()
                .fitFiles(
                        List.of(pairs.fit(), pairs.all()),
                        chosen,
                        model -> {
                            if (validation.isEmpty()) {
                                validation.add(
                                        AlsTuning.validate(
                                                pairs.owned(),
                                                pairs.held(),
                                                pairs.fitLines(),
                                                pairs.byTime(),
                                                pairs.sample(),
                                                K,
                                                chosen,
                                                model));
                            } else {
                                fitted.add(model);
                            }
                        });
        String reason = large.reason(pairs.all().size());
        long millis = (System.nanoTime() - started) / 1_000_000;
        return Optional.of(
                new Fitted(
                        version(pairs, chosen, tuned, validation.get(0), fitted.get(0), millis),
                        millis + " ms, " + reason));
    }

    /**
     * The grid's choice on its sample, in this JVM on half its processors as an in-JVM tenant's
     * grid; the sample's purchases are let go of before the engine's fits.
     */
    private Optional<AlsTuning.Choice> tune(StreamedPairs pairs) {
        if (large.grid().isEmpty() || pairs.grid().isEmpty()) {
            return Optional.empty();
        }
        StreamedPairs.GridPurchases sampled = pairs.grid().get();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return Optional.of(
                AlsTuning.chooseOnSample(
                        sampled.take(),
                        sampled.sample(),
                        pairs.all().meanCount(),
                        K,
                        large.params().withThreads(threads),
                        large.grid().get()));
    }

    /**
     * The version's sentence for the merchant, as an in-JVM choice's: where it was trained and why,
     * its validation figures on which split, and whether its setting was chosen for this tenant.
     */
    private static String choiceReason(
            String engineReason,
            Optional<AlsTuning.Choice> tuned,
            AlsTuning.Choice validation,
            StreamedPairs pairs) {
        return String.format(
                Locale.ROOT,
                "%s; ALS validation Recall@20 %.4f (popularity %.4f) on %s; %s",
                engineReason,
                validation.bestRecall(),
                validation.popularityRecall(),
                ValidationSplit.describe(pairs.byTime()),
                tuned.map(
                                choice ->
                                        String.format(
                                                Locale.ROOT,
                                                "its setting chosen by validation, of %d, on %s of"
                                                        + " the customers",
                                                choice.trials().size(),
                                                choice.sample().whole()
                                                        ? "all"
                                                        : String.format(
                                                                Locale.ROOT,
                                                                "%.1f%%",
                                                                choice.sample().share() * 100)))
                        .orElse("the configured setting, not chosen per tenant"));
    }

    private ModelStore.Activation version(
            StreamedPairs pairs,
            AlsParams chosen,
            Optional<AlsTuning.Choice> tuned,
            AlsTuning.Choice validation,
            AlsModel als,
            long millis) {
        String reason = large.reason(pairs.all().size());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("engine", large.engine().engine());
        params.put("engineReason", reason);
        params.put("factors", chosen.factors());
        params.put("iterations", chosen.iterations());
        params.put("regularization", chosen.regularization());
        params.put("scaledRegularization", true);
        params.put("alpha", chosen.alpha());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put(TrainingService.CHOSEN_MODEL, TrainingService.ALS_KIND);
        metrics.put(TrainingService.CHOICE_REASON, choiceReason(reason, tuned, validation, pairs));
        // How the setting was chosen, in the in-JVM path's words and keys; the validation figures
        // below are the engine's fit of the choice on the whole split.
        metrics.put(
                TrainingService.ALS_CHOICE,
                tuned.map(choice -> choice.describe(K))
                        .orElse("the configured setting (sparkTrainer: no grid)"));
        tuned.ifPresent(
                choice -> {
                    metrics.put("gridCustomerShare", choice.sample().share());
                    metrics.put("gridSample", choice.sample().reason());
                    metrics.put("gridValidationRecall@20", choice.bestRecall());
                });
        metrics.put("customers", als.userIds().size());
        metrics.put("products", als.itemIds().size());
        metrics.put("interactions", pairs.all().size());
        metrics.put("memoryBytes", als.memoryBytes());
        metrics.put("validationCustomers", validation.validationCustomers());
        // Which customers the figures below were scored on: all of them, or a hash sample.
        metrics.put("validationCustomerShare", pairs.sample().share());
        metrics.put("validationSample", pairs.sample().reason());
        metrics.put("validationSplit", ValidationSplit.describe(pairs.byTime()));
        metrics.put("validationRecall@20", validation.bestRecall());
        metrics.put("alsValidationRecall@20", validation.bestRecall());
        metrics.put("popularityValidationRecall@20", validation.popularityRecall());
        metrics.put(TrainingService.BEATS_POPULARITY, validation.beatsPopularity());
        metrics.put("gridRuns", tuned.map(choice -> choice.trials().size()).orElse(0) + 1);
        metrics.put("trainingMillis", millis);
        return new ModelStore.Activation(
                new ModelStore.Trained(
                        TrainingService.ALS_KIND,
                        null,
                        pairs.newest(),
                        HoldoutMetrics.json(params),
                        HoldoutMetrics.json(metrics),
                        // Encoded straight into the store's chunks, never held whole.
                        als::writeTo),
                TrainingService.PERSONAL_KINDS);
    }
}
