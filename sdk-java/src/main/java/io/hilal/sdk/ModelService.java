package io.hilal.sdk;

import io.hilal.sdk.internal.Api;
import io.hilal.sdk.model.Models;
import io.hilal.sdk.model.TrainingRequest;

/** The tenant's models: {@code hilal.models()}. Thread-safe. */
public final class ModelService {
    private final Api api;

    ModelService(Api api) {
        this.api = api;
    }

    /**
     * Every trained version with its offline metrics, and recent training runs ({@code GET
     * /v1/models}).
     *
     * @return the models
     */
    public Models list() {
        return list(RequestOptions.DEFAULT);
    }

    /**
     * The trained versions and training runs, with per-call options.
     *
     * @param options overrides of the client's settings
     * @return the models
     */
    public Models list(RequestOptions options) {
        return api.call("GET", "v1/models", null, options, Models.class);
    }

    /**
     * Queues a training run ({@code POST /v1/models/train}, needs the {@code admin} scope); the
     * campaign worker starts it within seconds.
     *
     * @return the queued run
     */
    public TrainingRequest train() {
        return train(RequestOptions.DEFAULT);
    }

    /**
     * Queues a training run, with per-call options.
     *
     * @param options overrides of the client's settings
     * @return the queued run
     */
    public TrainingRequest train(RequestOptions options) {
        return api.call("POST", "v1/models/train", null, options, TrainingRequest.class);
    }
}
