package io.hilal.sdk;

import io.hilal.sdk.internal.Api;
import io.hilal.sdk.model.BatchItemResult;
import io.hilal.sdk.model.Page;
import io.hilal.sdk.model.Product;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The catalog: {@code hilal.products()}. Thread-safe; every call has a variant taking {@link
 * RequestOptions}, and the common ones an {@code …Async} variant run on the client's executor.
 */
public final class ProductService {
    private final Api api;

    ProductService(Api api) {
        this.api = api;
    }

    /**
     * Creates or replaces a product ({@code PUT /v1/products/{id}}).
     *
     * @param product the product
     * @return the product as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Product upsert(ProductParams product) {
        return upsert(product, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces a product, with per-call options.
     *
     * @param product the product
     * @param options overrides of the client's settings
     * @return the product as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Product upsert(ProductParams product, RequestOptions options) {
        return api.call("PUT", path(product.id()), product, options, Product.class);
    }

    /**
     * {@link #upsert(ProductParams)} on the client's executor.
     *
     * @param product the product
     * @return the product as stored
     */
    public CompletableFuture<Product> upsertAsync(ProductParams product) {
        return api.async(() -> upsert(product));
    }

    /**
     * Creates or replaces many products ({@code POST /v1/products/batch}), up to 1,000 per request
     * (larger lists are sent in several requests). Invalid products are rejected one by one.
     * Hilal's batch endpoint takes no idempotency key, so options carrying one are refused.
     *
     * @param products the products
     * @param options overrides of the client's settings, without an idempotency key
     * @return one result per product, in order
     * @throws IllegalArgumentException when {@code options} carries an idempotency key
     */
    public List<BatchItemResult> upsertBatch(List<ProductParams> products, RequestOptions options) {
        return api.batch("v1/products/batch", "products", products, options);
    }

    /**
     * {@link #upsertBatch(List, RequestOptions)} with the client's settings.
     *
     * @param products the products
     * @return one result per product, in order
     */
    public List<BatchItemResult> upsertBatch(List<ProductParams> products) {
        return upsertBatch(products, RequestOptions.DEFAULT);
    }

    /**
     * A product as stored.
     *
     * @param productId your id for the product
     * @return the product
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Product retrieve(String productId) {
        return retrieve(productId, RequestOptions.DEFAULT);
    }

    /**
     * A product as stored, with per-call options.
     *
     * @param productId your id for the product
     * @param options overrides of the client's settings
     * @return the product
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Product retrieve(String productId, RequestOptions options) {
        return api.call("GET", path(productId), null, options, Product.class);
    }

    /**
     * Takes a product out of the catalog ({@code DELETE /v1/products/{id}}): it leaves rows,
     * recommendations and emails within about a second; its orders stay as history.
     *
     * @param productId your id for the product
     * @throws HilalException.NotFoundException when there is no such product
     */
    public void delete(String productId) {
        delete(productId, RequestOptions.DEFAULT);
    }

    /**
     * Takes a product out of the catalog, with per-call options.
     *
     * @param productId your id for the product
     * @param options overrides of the client's settings
     * @throws HilalException.NotFoundException when there is no such product
     */
    public void delete(String productId, RequestOptions options) {
        api.send("DELETE", path(productId), null, null, options);
    }

    /**
     * {@link #retrieve(String)} on the client's executor.
     *
     * @param productId your id for the product
     * @return the product
     */
    public CompletableFuture<Product> retrieveAsync(String productId) {
        return api.async(() -> retrieve(productId));
    }

    /**
     * Several products at once, e.g. to show a row's items. Hilal's API has no batch lookup, so
     * this sends one {@code GET} per distinct id, concurrently on the client's executor.
     *
     * @param productIds the ids
     * @return the products found, by id in the order asked; an unknown id is absent, never null
     * @throws HilalException any other error of any lookup
     */
    public Map<String, Product> retrieveMany(Collection<String> productIds) {
        Objects.requireNonNull(productIds, "productIds");
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(productIds));
        List<CompletableFuture<Product>> lookups = new ArrayList<>();
        for (String id : ids) {
            lookups.add(
                    api.async(
                            () -> {
                                try {
                                    return retrieve(id);
                                } catch (HilalException.NotFoundException e) {
                                    return null;
                                }
                            }));
        }
        Map<String, Product> found = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Product product;
            try {
                product = lookups.get(i).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
            if (product != null) {
                found.put(ids.get(i), product);
            }
        }
        return found;
    }

    /**
     * One page of the catalog ({@code GET /v1/products}), optionally of one category.
     *
     * @param category only this category, or null for all
     * @param params the page size and cursor
     * @return the page
     */
    public Page<Product> list(String category, ListParams params) {
        return list(category, params, RequestOptions.DEFAULT);
    }

    /**
     * One page of the catalog, with per-call options.
     *
     * @param category only this category, or null for all
     * @param params the page size and cursor
     * @param options overrides of the client's settings
     * @return the page
     */
    public Page<Product> list(String category, ListParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        String query =
                new Api.Query()
                        .add("category", category)
                        .add("limit", params.limit())
                        .add("cursor", params.cursor())
                        .toString();
        return api.call("GET", "v1/products" + query, null, options, api.pageOf(Product.class));
    }

    /**
     * The whole catalog (or one category), fetched a page at a time as the iteration reaches it.
     *
     * @param category only this category, or null for all
     * @param params the page size (and the first page's cursor)
     * @return the products
     */
    public Iterable<Product> listAll(String category, ListParams params) {
        return Api.autoPaging(params.cursor(), cursor -> list(category, params.withCursor(cursor)));
    }

    private static String path(String productId) {
        return "v1/products/" + Api.encode(productId);
    }
}
