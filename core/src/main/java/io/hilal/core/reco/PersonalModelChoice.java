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
 * <p>RP3beta, an item-graph model, is then tried against that choice ({@link #orRp3beta}) while the
 * catalog is within its own limit.
 *
 * @param kind the chosen model's artifact kind ({@link TrainingService#ALS_KIND}, {@link
 *     TrainingService#EASE_KIND} or {@link TrainingService#RP3BETA_KIND})
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

    /**
     * This choice, or RP3beta when it ranks the same validation purchases strictly better (a tie
     * keeps this choice); the reason says which won and by what figures, or why RP3beta was not
     * tried.
     *
     * @param rp3betaRecall RP3beta's best validation Recall@20, or empty when it was not tried
     * @param products the tenant's product count
     * @param rp3betaMaxProducts the largest catalog RP3beta is trained for
     */
    public PersonalModelChoice orRp3beta(
            OptionalDouble rp3betaRecall, int products, int rp3betaMaxProducts) {
        if (products > rp3betaMaxProducts || rp3betaRecall.isEmpty()) {
            return new PersonalModelChoice(
                    kind,
                    recall,
                    String.format(
                            Locale.ROOT,
                            "%s; RP3beta not tried: %d products is more than its limit of %d",
                            reason,
                            products,
                            rp3betaMaxProducts));
        }
        double graph = rp3betaRecall.getAsDouble();
        if (graph > recall) {
            return new PersonalModelChoice(
                    TrainingService.RP3BETA_KIND,
                    graph,
                    String.format(
                            Locale.ROOT,
                            "rp3beta: validation Recall@20 RP3beta %.4f is above %s's %.4f (%s)",
                            graph,
                            kind,
                            recall,
                            reason));
        }
        return new PersonalModelChoice(
                kind,
                recall,
                String.format(Locale.ROOT, "%s; RP3beta %.4f, not above %s", reason, graph, kind));
    }

    /**
     * This choice when no customer could be validated on: every figure is 0 over no one, so the
     * reason says that instead of comparing them, and what the tenant needs for a comparison.
     *
     * @param byTime whether the validation split held out by time ({@link
     *     io.hilal.core.reco.eval.ValidationSplit#byTime()})
     */
    public PersonalModelChoice unvalidated(boolean byTime) {
        return new PersonalModelChoice(
                kind,
                recall,
                String.format(
                        Locale.ROOT,
                        "%s by default, not compared: no customer could be validated on (%s, holds"
                                + " nothing new out for %s), so no model has shown that it beats"
                                + " popularity and \"Picked for you\" is not served until one"
                                + " does",
                        kind,
                        io.hilal.core.reco.eval.ValidationSplit.describe(byTime),
                        io.hilal.core.reco.eval.ValidationSplit.holdsNothingFor(byTime)));
    }

    /** Whether the chosen model ranks the validation purchases better than popularity. */
    public boolean beats(double popularityRecall) {
        return recall > popularityRecall;
    }
}
