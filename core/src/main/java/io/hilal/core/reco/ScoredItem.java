package io.hilal.core.reco;

/** A recommended product, its score (higher is stronger) and why, in words a customer reads. */
public record ScoredItem(String productId, double score, String reason) {}
