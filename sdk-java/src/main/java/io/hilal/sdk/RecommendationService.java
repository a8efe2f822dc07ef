package io.hilal.sdk;

import io.hilal.sdk.internal.Api;
import io.hilal.sdk.model.Recommendations;
import io.hilal.sdk.model.Rows;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Recommendations: {@code hilal.recommendations()}. Thread-safe; every call has a variant taking
 * {@link RequestOptions} and an {@code …Async} variant run on the client's executor.
 */
public final class RecommendationService {
    private final Api api;

    RecommendationService(Api api) {
        this.api = api;
    }

    /**
     * A customer's recommendation rows with reasons ({@code GET /v1/customers/{id}/rows}). Unknown
     * customers get popular rows ({@link Rows#personalized()} false), not an error.
     *
     * @param customerId your id for the customer
     * @param params the page, row count, products per row, filters and display fields
     * @return the rows
     * @throws HilalException.NotFoundException on the product page of a product Hilal does not know
     *     (as {@link #similar} answers)
     */
    public Rows rows(String customerId, RowsParams params) {
        return rows(customerId, params, RequestOptions.DEFAULT);
    }

    /**
     * A customer's recommendation rows, with per-call options.
     *
     * @param customerId your id for the customer
     * @param params the page, row count, products per row, filters and display fields
     * @param options overrides of the client's settings
     * @return the rows
     */
    public Rows rows(String customerId, RowsParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        String path =
                "v1/customers/"
                        + Api.encode(customerId)
                        + "/rows"
                        + new Api.Query()
                                .add("context", params.context())
                                .add("rows", params.rows())
                                .add("perRow", params.perRow())
                                .add("category", params.category())
                                .add("excludeCategory", params.excludeCategory())
                                .addAll("exclude", params.exclude())
                                .addAll("fields", params.fields());
        return api.call("GET", path, null, options, Rows.class);
    }

    /**
     * {@link #rows(String, RowsParams)} on the client's executor.
     *
     * @param customerId your id for the customer
     * @param params the options
     * @return the rows
     */
    public CompletableFuture<Rows> rowsAsync(String customerId, RowsParams params) {
        return api.async(() -> rows(customerId, params));
    }

    /**
     * A customer's recommendations as one list, strongest first ({@code GET
     * /v1/customers/{id}/recommendations}).
     *
     * @param customerId your id for the customer
     * @param params how many, which categories, which products to leave out, display fields
     * @return the products
     */
    public Recommendations forCustomer(String customerId, RecommendationsParams params) {
        return forCustomer(customerId, params, RequestOptions.DEFAULT);
    }

    /**
     * A customer's recommendations as one list, with per-call options.
     *
     * @param customerId your id for the customer
     * @param params how many, which categories, which products to leave out, display fields
     * @param options overrides of the client's settings
     * @return the products
     */
    public Recommendations forCustomer(
            String customerId, RecommendationsParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        String path =
                "v1/customers/"
                        + Api.encode(customerId)
                        + "/recommendations"
                        + new Api.Query()
                                .add("limit", params.limit())
                                .add("category", params.category())
                                .add("excludeCategory", params.excludeCategory())
                                .addAll("exclude", params.exclude())
                                .addAll("fields", params.fields());
        return api.call("GET", path, null, options, Recommendations.class);
    }

    /**
     * {@link #forCustomer(String, RecommendationsParams)} on the client's executor.
     *
     * @param customerId your id for the customer
     * @param params the options
     * @return the products
     */
    public CompletableFuture<Recommendations> forCustomerAsync(
            String customerId, RecommendationsParams params) {
        return api.async(() -> forCustomer(customerId, params));
    }

    /**
     * The products most often bought with a product, strongest first ({@code GET
     * /v1/products/{id}/similar}).
     *
     * @param productId your id for the product
     * @param params how many
     * @return the products
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Recommendations similar(String productId, SimilarProductsParams params) {
        return similar(productId, params, RequestOptions.DEFAULT);
    }

    /**
     * The products most often bought with a product, with per-call options.
     *
     * @param productId your id for the product
     * @param params how many
     * @param options overrides of the client's settings
     * @return the products
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Recommendations similar(
            String productId, SimilarProductsParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        String path =
                "v1/products/"
                        + Api.encode(productId)
                        + "/similar"
                        + new Api.Query().add("limit", params.limit());
        return api.call("GET", path, null, options, Recommendations.class);
    }

    /**
     * {@link #similar(String, SimilarProductsParams)} on the client's executor.
     *
     * @param productId your id for the product
     * @param params how many
     * @return the products
     */
    public CompletableFuture<Recommendations> similarAsync(
            String productId, SimilarProductsParams params) {
        return api.async(() -> similar(productId, params));
    }
}
