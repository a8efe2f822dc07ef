-- Hilal schema, version 35: the operator's quotas per tenant.
--
-- One row per tenant that has any; a NULL column (or no row) means no quota of that kind. The
-- service reads them on ingest (rate, stored events), the worker when it sends (sends per day, in
-- the tenant's local day) and when it starts a training run (seconds per UTC day).
CREATE TABLE tenant_quotas (
    tenant_id                 VARCHAR(40)  NOT NULL,
    ingest_events_per_second  BIGINT       NULL,
    stored_events             BIGINT       NULL,
    sends_per_day             BIGINT       NULL,
    training_seconds_per_day  BIGINT       NULL,
    updated_at                DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
