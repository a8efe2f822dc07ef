package io.hilal.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.error.Checks;
import io.hilal.core.error.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The shared shape of a batch upsert: read and check each item on its own, report one result per
 * item in request order, and hand the valid rows, sorted by id so concurrent batches lock rows in
 * one order, to a single write. The last occurrence of an id wins, as if sent one by one.
 */
final class BatchUpsert {
    static final int MAX_ITEMS = 1000;

    /** Turns one parsed item into a row, adding any broken rule to {@code checks}. */
    interface Converter<T, R> {
        R toRow(T item, Checks checks);
    }

    private BatchUpsert() {}

    static <T, R> List<BatchItemResult> run(
            ObjectMapper mapper,
            String field,
            List<JsonNode> items,
            Class<T> type,
            java.util.function.Function<T, String> idOf,
            Converter<T, R> converter,
            Consumer<List<R>> write) {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new ValidationException(field, "must hold 1 to " + MAX_ITEMS + " items");
        }
        BatchItemResult[] results = new BatchItemResult[items.size()];
        Map<String, R> rows = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode node = items.get(i);
            String id =
                    node != null && node.path("id").isTextual() ? node.get("id").asText() : null;
            try {
                T item = mapper.treeToValue(node, type);
                Checks checks = new Checks();
                R row = item == null ? null : converter.toRow(item, checks);
                if (item == null) {
                    checks.fail("", "must be an object");
                }
                if (checks.ok()) {
                    rows.put(idOf.apply(item), row);
                    results[i] = new BatchItemResult(id, BatchItemResult.UPSERTED, null);
                } else {
                    results[i] =
                            new BatchItemResult(id, BatchItemResult.REJECTED, checks.summary());
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                results[i] =
                        new BatchItemResult(id, BatchItemResult.REJECTED, JsonErrors.describe(e));
            }
        }
        if (!rows.isEmpty()) {
            List<String> ids = new ArrayList<>(rows.keySet());
            ids.sort(null);
            write.accept(ids.stream().map(rows::get).toList());
        }
        return List.of(results);
    }
}
