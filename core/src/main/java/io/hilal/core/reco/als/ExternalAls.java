package io.hilal.core.reco.als;

import java.util.List;

/**
 * Fits implicit ALS outside this JVM (Apache Spark MLlib for the largest tenants, see {@code
 * LargeTenantTraining}), returning an ordinary {@link AlsModel} that stores and serves exactly like
 * one {@link ImplicitAls} trained. Engines like Spark's scale lambda by each vector's interaction
 * count (ALS-WR), so they are given count-scaled parameters only.
 */
public interface ExternalAls {
    /** The engine's name, stored with the model version ("spark"). */
    String engine();

    /**
     * Fits each of {@code data} with {@code params} (count-scaled regularization) in one job, and
     * returns the models in the same order, each with its data's user and item ids; throws {@link
     * IllegalStateException} when the engine fails.
     */
    List<AlsModel> fit(List<Interactions> data, AlsParams params);
}
