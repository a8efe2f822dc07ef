package io.hilal.sdk;

/**
 * Sees every event on its way into the queue, on the thread calling {@link HilalClient#track} or
 * {@link HilalClient#offer}, and may add to it, typically context every event should carry:
 *
 * <pre>{@code
 * HilalClient.builder(key)
 *         .interceptor(event -> event.withContext("channel", "web"))
 *         .build();
 * }</pre>
 *
 * An interceptor must be thread-safe and quick. An exception it throws reaches the caller of {@code
 * track}, and nothing is queued.
 */
@FunctionalInterface
public interface EventInterceptor {
    /**
     * The event to queue instead of {@code event}.
     *
     * @param event the event as tracked, never null
     * @return the event to queue, never null (return {@code event} itself to change nothing)
     */
    Event intercept(Event event);
}
