package io.hilal.core.reco;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Which model serves a tenant's "Picked for you" row, and why: the one with the better discovery
 * Recall@20 on a validation split carved from the tenant's own training data (each customer's
 * newest fifth held out, or a random fifth of their products when the log has no times; the test
 * data of an offline evaluation is never involved). EASE is tried only while the catalog is within
 * {@code easeMaxProducts}, as its training inverts a dense products × products matrix; a tie goes
 * to ALS, the smaller model to serve.
 *
 * @param kind the chosen model's artifact kind ({@link TrainingService#ALS_KIND} or {@link
 *     TrainingService#EASE_KIND})
 * @param recall the chosen model's validation Recall@20
 * @param reason the validation figures behind the choice, for the merchant
 */
public record PersonalModelChoice(String kind, double recall, String reason) {

    /**
     * @param alsRecall ALS's best validation Recall@20
     * @param easeRecall EASE's best, or empty when it was not tried
     * @param popularityRecall popularity's on the same split
     * @param products the tenant's product count
     * @param easeMaxProducts the largest catalog EASE is trained for
     * @param validation what the validation split held out, as {@link
     *     io.hilal.core.reco.eval.ValidationSplit#describe()} says
     */
    public static PersonalModelChoice choose(
            double alsRecall,
            OptionalDouble easeRecall,
            double popularityRecall,
            int products,
            int easeMaxProducts,
            String validation) {
        if (products > easeMaxProducts || easeRecall.isEmpty()) {
            return new PersonalModelChoice(
                    TrainingService.ALS_KIND,
                    alsRecall,
                    String.format(
                            Locale.ROOT,
                            "als: %d products is more than EASE's limit of %d, so EASE was not"
                                    + " tried; ALS validation Recall@20 %.4f (popularity %.4f) on"
                                    + " %s",
                            products,
                            easeMaxProducts,
                            alsRecall,
                            popularityRecall,
                            validation));
        }
        double ease = easeRecall.getAsDouble();
        boolean easeWins = ease > alsRecall;
        return new PersonalModelChoice(
                easeWins ? TrainingService.EASE_KIND : TrainingService.ALS_KIND,
                easeWins ? ease : alsRecall,
                String.format(
                        Locale.ROOT,
                        "%s: validation Recall@20 EASE %.4f, ALS %.4f (popularity %.4f) on %s",
                        easeWins ? "ease" : "als",
                        ease,
                        alsRecall,
                        popularityRecall,
                        validation));
    }

    /** Whether the chosen model ranks the validation purchases better than popularity. */
    public boolean beats(double popularityRecall) {
        return recall > popularityRecall;
    }
}
