-- Hilal schema, version 36: the tenant's program holdout.
--
-- A stable share of a tenant's customers that no campaign or journey emails, so that a shop too
-- small for per-campaign lift can still measure its whole email program. Membership is the hash
-- of the salt and the customer id under the share, like a campaign's holdout; a change of share
-- starts a new measurement (started_at).
CREATE TABLE program_holdouts (
    tenant_id   VARCHAR(40)  NOT NULL,
    share       DOUBLE       NOT NULL,
    salt        VARCHAR(64)  NOT NULL,
    started_at  DATETIME(3)  NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id),
    CONSTRAINT fk_program_holdouts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
