package io.hilal.core.events;

import java.math.BigDecimal;

/** One line of an order or refund: a product, how many, and at what unit price. */
public record OrderLine(
        String productId, Integer quantity, BigDecimal unitPrice, String currency) {}
