package io.hilal.sdk.model;

/**
 * A recommended product with its score and a reason a customer can read, such as "You buy this
 * about every 30 days"; show the reason next to the product.
 *
 * @param productId the product's id
 * @param score how strong the recommendation is; higher is stronger, comparable within one answer
 * @param reason why, in words for the customer
 */
public record RecommendedItem(String productId, double score, String reason) {}
