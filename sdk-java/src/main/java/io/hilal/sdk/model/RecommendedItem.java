package io.hilal.sdk.model;

import java.math.BigDecimal;

/**
 * A recommended product with its score and a reason a customer can read, such as "You buy this
 * about every 30 days"; show the reason next to the product. The display fields are null unless
 * Hilal sends them (asked for with {@code fields}, on a Hilal that serves them).
 *
 * @param productId the product's id, never null
 * @param score how strong the recommendation is; higher is stronger, comparable within one answer
 * @param reason why, in words for the customer; null only when {@code fields} left it out
 * @param title the product's title, or null
 * @param price its price, or null
 * @param currency the ISO 4217 currency of the price, or null
 * @param formattedPrice the price written for the customer's locale (e.g. "١٨٫٠٠ US$" for ar-SA),
 *     ready to show, or null
 * @param imageUrl its picture's URL, or null
 * @param url its page's URL, or null
 * @param position its place in its row or list as served, from 1, or null from a Hilal that does
 *     not send it
 */
public record RecommendedItem(
        String productId,
        double score,
        String reason,
        String title,
        BigDecimal price,
        String currency,
        String formattedPrice,
        String imageUrl,
        String url,
        Integer position) {

    /**
     * An item without a position.
     *
     * @param productId the product's id
     * @param score the score
     * @param reason the reason
     * @param title the title
     * @param price the price
     * @param currency the currency
     * @param formattedPrice the price for the customer's locale
     * @param imageUrl the image URL
     * @param url the page URL
     */
    public RecommendedItem(
            String productId,
            double score,
            String reason,
            String title,
            BigDecimal price,
            String currency,
            String formattedPrice,
            String imageUrl,
            String url) {
        this(productId, score, reason, title, price, currency, formattedPrice, imageUrl, url, null);
    }

    /**
     * An item without display fields.
     *
     * @param productId the product's id
     * @param score the score
     * @param reason the reason
     */
    public RecommendedItem(String productId, double score, String reason) {
        this(productId, score, reason, null, null, null, null, null, null, null);
    }
}
