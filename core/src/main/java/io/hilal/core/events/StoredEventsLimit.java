package io.hilal.core.events;

import org.jdbi.v3.core.Handle;

/**
 * Whether a tenant may store more events: asked inside the ingest transaction, before anything is
 * written, with the number of events the batch would add (replays of stored events excluded).
 */
public interface StoredEventsLimit {
    /** No limit. */
    StoredEventsLimit NONE =
            new StoredEventsLimit() {
                @Override
                public void admit(Handle handle, String tenantId, int adding) {}

                @Override
                public void stored(String tenantId, int added) {}
            };

    /** Throws (rolling the transaction back) if {@code adding} more events break the limit. */
    void admit(Handle handle, String tenantId, int adding);

    /** After the commit: {@code added} events were stored. */
    void stored(String tenantId, int added);
}
