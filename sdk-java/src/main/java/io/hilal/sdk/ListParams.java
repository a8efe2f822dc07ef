package io.hilal.sdk;

/**
 * Paging of a list call: the page size and the cursor of the page to read (from {@link
 * io.hilal.sdk.model.Page#nextCursor()}). Both may be null: Hilal's default size (50) and the first
 * page.
 *
 * @param limit items per page, 1 to 100, or null
 * @param cursor the page's cursor, or null for the first page
 */
public record ListParams(Integer limit, String cursor) {
    /** The first page at Hilal's default size. */
    public static final ListParams FIRST = new ListParams(null, null);

    /**
     * The first page of {@code limit} items.
     *
     * @param limit items per page, 1 to 100
     * @return the params
     */
    public static ListParams limit(int limit) {
        return new ListParams(limit, null);
    }

    /**
     * The same size, at another page.
     *
     * @param cursor the page's cursor
     * @return the params
     */
    public ListParams withCursor(String cursor) {
        return new ListParams(limit, cursor);
    }
}
