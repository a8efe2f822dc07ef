package io.hilal.sdk;

/**
 * What became of each tracked event, called on the client's flusher thread, so keep it quick and
 * hand slow work to your own executor. Every event gets one final call: {@link #accepted}, {@link
 * #duplicate}, {@link #rejected} or {@link #failed}. With a spool, an event Hilal could not take
 * yet gets {@link #spooled} first, and its final call comes when the spool delivers it, which may
 * be in a later process (with an event read back from the spool). An exception a callback throws is
 * logged and ignored.
 */
public interface Callback {
    /**
     * Stored for the first time.
     *
     * @param event the event
     */
    default void accepted(Event event) {}

    /**
     * Stored before (a resend with the same message id): nothing changed.
     *
     * @param event the event
     */
    default void duplicate(Event event) {}

    /**
     * Refused by Hilal's validation, with the reason; resending it will not help.
     *
     * @param event the event
     * @param reason what is wrong with it, e.g. {@code lines: must have at least one line}
     */
    default void rejected(Event event, String reason) {}

    /**
     * Not delivered: every retry failed (and there is no spool, or it is full), the whole batch was
     * refused (say, 401 for a revoked key, when there is no spool: with one, the batch waits there
     * for a client with the right key), or the client closed before sending it. Also counted in
     * {@link HilalClient#stats()} and logged.
     *
     * @param event the event
     * @param error why; {@link HilalException#code()} is {@code spool_full} when the spool had no
     *     room and {@code client_closed} when the client closed first
     */
    default void failed(Event event, HilalException error) {}

    /**
     * Written to the on-disk spool because Hilal could not take it yet (or the client was closing);
     * the spool sends it when Hilal answers again and the final call follows then.
     *
     * @param event the event
     */
    default void spooled(Event event) {}
}
