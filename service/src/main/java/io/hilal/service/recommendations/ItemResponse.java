package io.hilal.service.recommendations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * A recommended product as the API answers it, with enough to show it on a page or in an email
 * without asking for the product: its title, its price (as a number with its currency, and written
 * for the customer's locale), its image and page. A field is left out when the request's {@code
 * fields} did not ask for it, or the catalog has no value for it. {@code position} is the item's
 * place in its row or list, from 1, as served.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResponse(
        String productId,
        int position,
        Double score,
        String reason,
        String title,
        BigDecimal price,
        String currency,
        String formattedPrice,
        String imageUrl,
        String url) {}
