package io.hilal.sdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a list, newest first, and the opaque cursor of the next page. Pass the cursor back to
 * get the next page; it is null on the last page.
 *
 * @param <T> the type of the items
 * @param items the items of this page
 * @param nextCursor the next page's cursor, or null on the last page
 */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param items the items of this page
     * @param nextCursor the next page's cursor, or null on the last page
     */
    public Page {
        items = items == null ? List.of() : items;
    }

    /**
     * Whether there is a page after this one.
     *
     * @return true when {@link #nextCursor()} is set
     */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
