package io.hilal.core.reco;

import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import java.util.Locale;

/**
 * Which tenants train their factor model on an engine outside the worker's JVM (Spark MLlib), and
 * with which setting: those with at least {@code minInteractions} distinct (customer, product)
 * pairs, where one JVM's heap and a dozen-fit validation grid stop fitting the worker (SCALING.md).
 * They get one setting, validated once, instead of the grid.
 *
 * @param minInteractions distinct (customer, product) pairs from which a tenant goes to the engine
 * @param engine where the fits run
 * @param params the setting; a flat lambda is converted to the count-scaled one the engine uses at
 *     the tenant's mean interactions per vector, as the offline evaluation converts it
 */
public record LargeTenantTraining(long minInteractions, ExternalAls engine, AlsParams params) {
    public LargeTenantTraining {
        if (minInteractions < 1) {
            throw new IllegalArgumentException(
                    "minInteractions must be positive, was " + minInteractions);
        }
    }

    /** Whether a tenant with {@code pairs} distinct pairs trains on the engine. */
    public boolean appliesTo(long pairs) {
        return pairs >= minInteractions;
    }

    /** The setting for {@code data}: count-scaled, as the engine fits. */
    public AlsParams paramsFor(Interactions data) {
        if (params.scaledRegularization()) {
            return params;
        }
        return params.withRegularization(params.regularization() / AlsTuning.meanCount(data))
                .withScaledRegularization(true);
    }

    /** The setting for pairs written to {@code data}: count-scaled, as the engine fits. */
    public AlsParams paramsFor(io.hilal.core.reco.als.PairFile data) {
        if (params.scaledRegularization()) {
            return params;
        }
        return params.withRegularization(params.regularization() / data.meanCount())
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
