-- Hilal schema, version 37: model priors shared across tenants, only with the operator's opt-in.
--
-- prior_sharing: the operator's per-tenant choice; no row means neither (the default). A tenant
-- that contributes has its own priors pooled into others'; one that receives trains with the
-- pool of the other contributors'.
CREATE TABLE prior_sharing (
    tenant_id   VARCHAR(40)  NOT NULL,
    contribute  BOOLEAN      NOT NULL,
    receive     BOOLEAN      NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- shared_priors: a contributing tenant's aggregate priors per normalized category name, replaced
-- at each of its trainings and deleted when it stops contributing. Numbers only: no customer or
-- product id.
CREATE TABLE shared_priors (
    tenant_id      VARCHAR(40)   NOT NULL,
    category       VARCHAR(200)  NOT NULL,
    buyers         INT           NOT NULL,
    rebuyers       INT           NOT NULL,
    gaps           INT           NOT NULL,
    gap_days       DOUBLE        NULL,
    gap_low_days   DOUBLE        NULL,
    gap_high_days  DOUBLE        NULL,
    sales_share    DOUBLE        NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, category)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
