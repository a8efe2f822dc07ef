package io.hilal.core.reco;

/**
 * What the recommender needs to know of a product: its name, category and whether it may be shown.
 */
public record ProductInfo(String productId, String title, String category, boolean recommendable) {}
