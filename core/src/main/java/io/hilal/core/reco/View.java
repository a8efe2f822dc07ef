package io.hilal.core.reco;

import java.time.Instant;

/** A customer looked at a product (a product page view or an add to cart). */
public record View(String customerId, String productId, Instant at) {}
