package io.hilal.core.events;

/** The fate of one event in a batch: accepted, duplicate (stored before) or rejected (why). */
public record EventResult(String messageId, String status, String reason) {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";

    static EventResult accepted(String messageId) {
        return new EventResult(messageId, ACCEPTED, null);
    }

    static EventResult duplicate(String messageId) {
        return new EventResult(messageId, DUPLICATE, null);
    }

    static EventResult rejected(String messageId, String reason) {
        return new EventResult(messageId, REJECTED, reason);
    }
}
