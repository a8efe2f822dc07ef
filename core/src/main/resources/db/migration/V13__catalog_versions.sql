-- Hilal schema, version 13: serving follows the catalog as it is now, not as it was at training.
--
-- Every service instance and worker keeps each tenant's showable products in memory. A counter
-- per tenant, moved in the same transaction as every product upsert or delete, tells them when
-- to look again (one primary-key lookup), and each product row and deletion carries the counter
-- value that wrote it, so they read only what changed. Moving the counter locks the tenant's row
-- here, so one tenant's catalog writes commit in counter order: a reader that saw the counter at
-- N has seen every write up to N.
CREATE TABLE catalog_versions (
    tenant_id  VARCHAR(40)  NOT NULL,
    version    BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE products
    ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0,
    ADD KEY ix_products_catalog_version (tenant_id, catalog_version);

-- A deleted product, so that readers which hold it let it go. A product created again later
-- has a newer counter value on its row than here.
CREATE TABLE product_deletions (
    tenant_id        VARCHAR(40)   NOT NULL,
    product_id       VARCHAR(128)  NOT NULL,
    catalog_version  BIGINT        NOT NULL,
    deleted_at       DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, product_id),
    KEY ix_product_deletions_version (tenant_id, catalog_version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
