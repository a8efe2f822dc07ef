package io.hilal.sdk.model;

/**
 * What became of one item of a batch upsert: {@code upserted}, or {@code rejected} with the reason.
 * A batch answers 200 even when some items are rejected, so check each result.
 *
 * @param id the item's id
 * @param status {@code upserted} or {@code rejected}
 * @param reason why it was rejected, or null
 */
public record BatchItemResult(String id, String status, String reason) {
    /**
     * Whether the item was refused.
     *
     * @return true for {@code rejected}
     */
    public boolean rejected() {
        return "rejected".equals(status);
    }
}
