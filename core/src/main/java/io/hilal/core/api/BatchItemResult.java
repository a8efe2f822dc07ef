package io.hilal.core.api;

/** What happened to one item of a batch: its id, a status, and why it was rejected. */
public record BatchItemResult(String id, String status, String reason) {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";
    public static final String UPSERTED = "upserted";
}
