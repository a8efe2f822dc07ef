package io.hilal.sdk;

/**
 * What became of each tracked event, called on the client's flusher thread (keep it quick). Every
 * event gets exactly one call.
 */
public interface Callback {
    /** Stored for the first time. */
    default void accepted(Event event) {}

    /** Stored before (a resend with the same message id): nothing changed. */
    default void duplicate(Event event) {}

    /** Refused by Hilal's validation, with the reason; resending it will not help. */
    default void rejected(Event event, String reason) {}

    /** Not delivered after every retry, or refused with the whole batch. */
    default void failed(Event event, HilalException error) {}
}
