package io.hilal.core.reco;

import java.time.Instant;

/** One purchased line (refunds already netted out by the caller when they cancel a line). */
public record Purchase(
        String customerId, String productId, String orderId, int quantity, Instant at) {}
