package io.hilal.core.journeys;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What puts a customer into a journey. The first three are events the planner reads as they are
 * received; win-back and restock are states of a customer's history the planner sweeps for.
 */
public enum JourneyKind {
    /** Added to cart, and no order within the delay. */
    ABANDONED_CART,
    /** Viewed a product, and no cart add or order within the delay. */
    BROWSE_ABANDONMENT,
    /** The delay after an order, with products that go with it. */
    CROSS_SELL,
    /** No order for the delay since the last one. */
    WIN_BACK,
    /** A repeat purchase falls due (the restock row's policy), the delay before it. */
    RESTOCK_DUE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JourneyKind> fromWireName(String name) {
        for (JourneyKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Whether customers enter on received events (rather than by a sweep of their history). */
    public boolean eventTriggered() {
        return this == ABANDONED_CART || this == BROWSE_ABANDONMENT || this == CROSS_SELL;
    }
}
