package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.catalog.PriceFormat;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Dresses recommended products for the wire from the live catalog: title, price in the customer's
 * locale, image and product URLs, only the fields asked for. A product no longer showable in the
 * catalog by now is left out here too.
 */
public final class ItemDetails {
    /** Prices are written in English when neither the request nor the customer names a locale. */
    static final Locale DEFAULT_LOCALE = Locale.ENGLISH;

    /**
     * Customers' locales, kept briefly: a rows request would otherwise read the customer's row once
     * more for a value that rarely changes.
     */
    private final Cache<CustomerKey, Optional<Locale>> locales =
            Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterWrite(Duration.ofSeconds(30))
                    .build();

    private final Jdbi jdbi;
    private final LiveCatalog catalog;

    public ItemDetails(Jdbi jdbi, LiveCatalog catalog) {
        this.jdbi = jdbi;
        this.catalog = catalog;
    }

    /** Rows with every field the rows API answers by default, in the customer's locale. */
    public RowsResponse rows(String tenantId, Rows rows) {
        return rows(tenantId, rows, null, ItemFields.ALL, null);
    }

    RowsResponse rows(
            String tenantId, Rows rows, String impressionId, ItemFields fields, Locale requested) {
        Dresser dresser = dresser(tenantId, rows.customerId(), fields, requested);
        List<RowsResponse.Row> dressed = new ArrayList<>();
        for (Rows.Row row : rows.rows()) {
            List<ItemResponse> items = dresser.items(row.items());
            if (!items.isEmpty()) {
                dressed.add(new RowsResponse.Row(row.id(), row.title(), row.evidence(), items));
            }
        }
        return new RowsResponse(rows.customerId(), rows.personalized(), impressionId, dressed);
    }

    /** {@code customerId} may be null: then only the requested locale (or English) counts. */
    List<ItemResponse> items(
            String tenantId,
            String customerId,
            List<ScoredItem> items,
            ItemFields fields,
            Locale requested) {
        return dresser(tenantId, customerId, fields, requested).items(items);
    }

    private Dresser dresser(
            String tenantId, String customerId, ItemFields fields, Locale requested) {
        Locale locale = requested;
        if (locale == null && fields.has(ItemFields.Field.PRICE) && customerId != null) {
            locale =
                    locales.get(
                                    new CustomerKey(tenantId, customerId),
                                    key ->
                                            jdbi.withExtension(
                                                            CustomerDao.class,
                                                            dao -> dao.locale(tenantId, customerId))
                                                    .map(Locale::forLanguageTag))
                            .orElse(null);
        }
        return new Dresser(
                catalog.snapshot(tenantId), fields, locale == null ? DEFAULT_LOCALE : locale);
    }

    private record Dresser(CatalogSnapshot catalog, ItemFields fields, Locale locale) {
        List<ItemResponse> items(List<ScoredItem> items) {
            List<ItemResponse> dressed = new ArrayList<>(items.size());
            boolean price = fields.has(ItemFields.Field.PRICE);
            for (ScoredItem item : items) {
                CatalogProduct product = catalog.product(item.productId());
                if (product == null) {
                    continue; // hidden, sold out or deleted since the item was chosen
                }
                dressed.add(
                        new ItemResponse(
                                item.productId(),
                                dressed.size() + 1,
                                fields.has(ItemFields.Field.SCORE) ? item.score() : null,
                                fields.has(ItemFields.Field.REASON) ? item.reason() : null,
                                fields.has(ItemFields.Field.TITLE) ? product.title() : null,
                                price ? product.price() : null,
                                price && product.price() != null ? product.currency() : null,
                                price
                                        ? PriceFormat.format(
                                                product.price(), product.currency(), locale)
                                        : null,
                                fields.has(ItemFields.Field.IMAGE_URL) ? product.imageUrl() : null,
                                fields.has(ItemFields.Field.URL) ? product.url() : null));
            }
            return dressed;
        }
    }

    private record CustomerKey(String tenantId, String customerId) {}
}
