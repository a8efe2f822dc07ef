package io.hilal.sdk;

/**
 * Options of {@link HilalClient#campaigns}: only campaigns of one status, how many per page, and
 * the page to read. A null option is not sent, so Hilal's default applies (every status, 20 a page,
 * the first page).
 *
 * @param status {@code draft}, {@code scheduled}, {@code paused}, {@code completed} or {@code
 *     cancelled}
 * @param limit campaigns per page, 1 to 100
 * @param cursor the {@code nextCursor} of the page before
 */
public record CampaignListParams(String status, Integer limit, String cursor) {
    /** Every campaign, first page, Hilal's page size. */
    public static final CampaignListParams ALL = new CampaignListParams(null, null, null);

    /**
     * A builder with nothing set.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CampaignListParams}. */
    public static final class Builder {
        private String status;
        private Integer limit;
        private String cursor;

        private Builder() {}

        /**
         * Only campaigns with this status.
         *
         * @param status e.g. {@code scheduled}
         * @return this builder
         */
        public Builder status(String status) {
            this.status = status;
            return this;
        }

        /**
         * Campaigns per page, 1 to 100.
         *
         * @param limit the page size
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * The page after the one that gave this cursor.
         *
         * @param cursor a {@code nextCursor}
         * @return this builder
         */
        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        /**
         * The params.
         *
         * @return the options
         */
        public CampaignListParams build() {
            return new CampaignListParams(status, limit, cursor);
        }
    }
}
