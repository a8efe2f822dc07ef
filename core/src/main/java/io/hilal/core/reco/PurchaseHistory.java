package io.hilal.core.reco;

import java.time.Instant;

/**
 * What a customer's whole purchase history says about one product they still own: on how many days
 * they bought it, and the first and last of those days. Read aggregated per product, whenever the
 * lines were imported; products whose refunds cancel every unit bought are not owned.
 */
public record PurchaseHistory(
        String productId, int purchaseDays, Instant firstBought, Instant lastBought) {}
