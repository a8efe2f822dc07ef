package io.hilal.core.reco;

import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.als.PairFile;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import java.util.Locale;
import java.util.Optional;

/**
 * Which tenants train their factor model on an engine outside the worker's JVM (Spark MLlib), and
 * with which setting: those with at least {@code minInteractions} distinct (customer, product)
 * pairs, where one JVM's heap stops fitting the worker (SCALING.md). With a {@code grid}, each
 * tenant's setting is chosen as an in-JVM tenant's is, by the grid on a hash sample of its
 * customers ({@link GridSample}, the same budget), in the worker's JVM, and only the choice is
 * fitted on the engine; without one, every tenant gets {@code params}.
 *
 * @param minInteractions distinct (customer, product) pairs from which a tenant goes to the engine
 * @param engine where the fits run
 * @param params the setting without a grid, and the grid's base (CG steps, seed) with one; a flat
 *     lambda is converted to the count-scaled one the engine uses at the tenant's mean interactions
 *     per vector, as the offline evaluation converts it
 * @param grid the settings to choose from, count-scaled only ({@link #gridAt}): the engine fits
 *     nothing else
 */
public record LargeTenantTraining(
        long minInteractions, ExternalAls engine, AlsParams params, Optional<AlsTuning.Grid> grid) {
    public LargeTenantTraining {
        if (minInteractions < 1) {
            throw new IllegalArgumentException(
                    "minInteractions must be positive, was " + minInteractions);
        }
        grid.ifPresent(
                value -> {
                    for (boolean scaled : value.scaled()) {
                        if (!scaled) {
                            throw new IllegalArgumentException(
                                    "the engine fits count-scaled lambdas only: the grid's must be"
                                            + " count-scaled");
                        }
                    }
                    if (value.ials() != null) {
                        throw new IllegalArgumentException(
                                "the engine fits Hu, Koren and Volinsky's objective only, not"
                                        + " iALS");
                    }
                });
    }

    /** One setting, {@code params}, for every tenant on the engine. */
    public LargeTenantTraining(long minInteractions, ExternalAls engine, AlsParams params) {
        this(minInteractions, engine, params, Optional.empty());
    }

    /**
     * The in-JVM production grid ({@link TrainingService#ALS_GRID}) as the engine can fit it: its
     * lambdas, alphas and sweeps, count-scaled only, at {@code factors}.
     */
    public static AlsTuning.Grid gridAt(int factors) {
        AlsTuning.Grid production = TrainingService.ALS_GRID;
        return new AlsTuning.Grid(
                new int[] {factors},
                production.regularization(),
                production.alpha(),
                production.iterations(),
                new boolean[] {true});
    }

    /** Whether a tenant with {@code pairs} distinct pairs trains on the engine. */
    public boolean appliesTo(long pairs) {
        return pairs >= minInteractions;
    }

    /**
     * The grid's sample of a tenant with {@code counts}, planned as the in-JVM grid plans it
     * ({@link GridSample#plan}, {@link GridSample#DEFAULT_BUDGET}); empty without a grid.
     */
    public Optional<GridSample> gridSample(InteractionDao.PurchaseCounts counts) {
        return grid.map(
                value ->
                        GridSample.plan(
                                counts.lines(),
                                counts.customers(),
                                value.sweepsPerLine(),
                                GridSample.DEFAULT_BUDGET,
                                GridSample.MIN_CUSTOMERS));
    }

    /** The setting for {@code data}: count-scaled, as the engine fits. */
    public AlsParams paramsFor(Interactions data) {
        return countScaled(params, AlsTuning.meanCount(data));
    }

    /** {@code chosen} for pairs written to {@code data}: count-scaled, as the engine fits. */
    public static AlsParams paramsFor(PairFile data, AlsParams chosen) {
        return countScaled(chosen, data.meanCount());
    }

    /** A flat lambda as the count-scaled one of the same mean penalty at {@code meanCount}. */
    private static AlsParams countScaled(AlsParams params, double meanCount) {
        if (params.scaledRegularization()) {
            return params;
        }
        return params.withRegularization(params.regularization() / meanCount)
                .withScaledRegularization(true);
    }

    /** Why a tenant of {@code pairs} pairs was trained on the engine, stored with its version. */
    public String reason(long pairs) {
        return String.format(
                Locale.ROOT,
                "%s: %,d interactions (distinct customer-product pairs) reach the threshold of"
                        + " %,d for training outside the worker's JVM",
                engine.engine(),
                pairs,
                minInteractions);
    }
}
