package io.hilal.core.events;

import java.util.Set;
import java.util.regex.Pattern;

/** The event types Hilal understands; any other well-formed name is kept as a custom event. */
public final class EventType {
    public static final String ORDER_COMPLETED = "order_completed";
    public static final String ORDER_REFUNDED = "order_refunded";
    public static final String PRODUCT_VIEWED = "product_viewed";
    public static final String PRODUCT_ADDED_TO_CART = "product_added_to_cart";
    public static final String SEARCH = "search";
    public static final String PRODUCT_RATED = "product_rated";
    public static final String EMAIL_OPENED = "email_opened";
    public static final String EMAIL_CLICKED = "email_clicked";
    public static final String EMAIL_UNSUBSCRIBED = "email_unsubscribed";

    /** A click on a recommended product, naming the impression (the response) it was shown in. */
    public static final String RECOMMENDATION_CLICKED = "recommendation_clicked";

    public static final Set<String> KNOWN =
            Set.of(
                    ORDER_COMPLETED,
                    ORDER_REFUNDED,
                    PRODUCT_VIEWED,
                    PRODUCT_ADDED_TO_CART,
                    SEARCH,
                    PRODUCT_RATED,
                    EMAIL_OPENED,
                    EMAIL_CLICKED,
                    EMAIL_UNSUBSCRIBED,
                    RECOMMENDATION_CLICKED);

    /** Custom event names: snake_case, up to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private EventType() {}
}
