package io.hilal.service.recommendations;

import io.hilal.core.reco.ModelLoader;

/**
 * How much of the heap the service's loaded models may hold, and what each weighs: the models' own
 * estimate of their heap bytes ({@code memoryBytes}), in KiB. A count of tenants bounded nothing:
 * one tenant of 10 million customers weighs more than a thousand small shops. A model larger than
 * the whole budget weighs the budget, so it is held alone rather than loaded again on every
 * request.
 */
public record ModelCacheBudget(long maxBytes) {
    /**
     * The default, 2 GiB: the 100 tenants of Online Retail's size (17.7 MiB each, BENCHMARKS.md)
     * the count used to allow, or one tenant of about 5 million customers at rank 64.
     */
    public static final ModelCacheBudget DEFAULT = ofMegabytes(2048);

    public ModelCacheBudget {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("a model cache needs at least 1 KiB: " + maxBytes);
        }
    }

    public static ModelCacheBudget ofMegabytes(long megabytes) {
        return new ModelCacheBudget(megabytes << 20);
    }

    /** This budget's share {@code fraction} (at least 1 KiB). */
    public ModelCacheBudget share(double fraction) {
        return new ModelCacheBudget(Math.max(1024, (long) (maxBytes * fraction)));
    }

    /** The cache's maximum weight, in KiB. */
    public long maxWeight() {
        return maxBytes / 1024;
    }

    /** The weight of models holding {@code bytes}: KiB rounded up, from 1 to the whole budget. */
    public int weigh(long bytes) {
        long kib = (Math.max(0, bytes) + 1023) / 1024;
        return (int) Math.max(1, Math.min(kib, Math.min(maxWeight(), Integer.MAX_VALUE)));
    }

    /** A tenant's served models: its recommender and its personal model, if any. */
    public int weigh(ModelLoader.Loaded loaded) {
        return weigh(
                loaded.model().memoryBytes()
                        + (loaded.als() == null ? 0 : loaded.als().memoryBytes())
                        + (loaded.itemToItem() == null ? 0 : loaded.itemToItem().memoryBytes()));
    }

    /** An experiment arm's personal model. */
    public int weigh(ModelLoader.Personal personal) {
        return weigh(
                (personal.als() == null ? 0 : personal.als().memoryBytes())
                        + (personal.itemToItem() == null
                                ? 0
                                : personal.itemToItem().memoryBytes()));
    }
}
