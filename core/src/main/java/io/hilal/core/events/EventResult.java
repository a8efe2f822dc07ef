package io.hilal.core.events;

/**
 * The fate of one event in a batch: accepted, duplicate (stored before) or rejected (why). An
 * accepted event has a reason only when part of it was ignored (an order's unknown impression id);
 * a duplicate only when it was known by what it holds rather than by its messageId (an order sent
 * again under a new one).
 */
public record EventResult(String messageId, String status, String reason) {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";

    static EventResult accepted(String messageId) {
        return new EventResult(messageId, ACCEPTED, null);
    }

    /** Accepted, with a note on what was ignored (e.g. an unknown impression id), or null. */
    static EventResult accepted(String messageId, String note) {
        return new EventResult(messageId, ACCEPTED, note);
    }

    static EventResult duplicate(String messageId) {
        return new EventResult(messageId, DUPLICATE, null);
    }

    static EventResult rejected(String messageId, String reason) {
        return new EventResult(messageId, REJECTED, reason);
    }
}
