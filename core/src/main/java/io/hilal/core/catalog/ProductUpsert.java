package io.hilal.core.catalog;

import io.hilal.core.error.Checks;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The writable fields of a product. {@code categories} is the path from the broadest category to
 * the most specific; {@code available} defaults to true and {@code hidden} to false.
 */
public record ProductUpsert(
        String id,
        String title,
        List<String> categories,
        BigDecimal price,
        String currency,
        Boolean available,
        Integer stock,
        Boolean hidden,
        String imageUrl,
        String url,
        Map<String, Object> attributes) {

    public static final String CATEGORY_SEPARATOR = " > ";

    public ProductUpsert withId(String newId) {
        return new ProductUpsert(
                newId,
                title,
                categories,
                price,
                currency,
                available,
                stock,
                hidden,
                imageUrl,
                url,
                attributes);
    }

    public Checks check(String prefix) {
        Checks checks = new Checks();
        checks.id(prefix + "id", id, true)
                .maxLength(prefix + "title", title, 500)
                .nonNegative(prefix + "price", price)
                .currency(prefix + "currency", currency)
                .httpUrl(prefix + "imageUrl", imageUrl)
                .httpUrl(prefix + "url", url);
        if (price != null && currency == null) {
            checks.fail(prefix + "currency", "is required with a price");
        }
        if (price != null && (price.scale() > 4 || price.precision() - price.scale() > 15)) {
            checks.fail(prefix + "price", "has too many digits");
        }
        if (stock != null && stock < 0) {
            checks.fail(prefix + "stock", "must not be negative");
        }
        if (categories != null) {
            if (categories.size() > 10) {
                checks.fail(prefix + "categories", "must have at most 10 levels");
            }
            for (int i = 0; i < categories.size(); i++) {
                String category = categories.get(i);
                if (category == null || category.isBlank() || category.length() > 200) {
                    checks.fail(prefix + "categories[" + i + "]", "must be 1 to 200 characters");
                } else if (category.contains(CATEGORY_SEPARATOR.strip())) {
                    checks.fail(prefix + "categories[" + i + "]", "must not contain '>'");
                }
            }
        }
        return checks;
    }
}
