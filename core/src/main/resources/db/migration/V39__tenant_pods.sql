-- Hilal schema, version 39: the pod directory.
--
-- Read in the home database only (every pod has the full schema, so these tables exist, empty of
-- meaning, in the others too). A pod is a database of tenant data; 'home' is the database the
-- processes are configured with, so a single-database install is a directory with one pod. Every
-- tenant has one row in tenant_pods naming its pod; a move records its target and its state
-- (COPYING while the rows are copied and caught up, FROZEN during the short switch).
CREATE TABLE pods (
    pod_id       VARCHAR(40)   NOT NULL,
    jdbc_url     VARCHAR(1000) NULL,
    db_user      VARCHAR(200)  NULL,
    db_password  VARCHAR(200)  NULL,
    status       VARCHAR(16)   NOT NULL,
    created_at   DATETIME(3)   NOT NULL,
    PRIMARY KEY (pod_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO pods (pod_id, jdbc_url, db_user, db_password, status, created_at)
VALUES ('home', NULL, NULL, NULL, 'ACTIVE', UTC_TIMESTAMP(3));

CREATE TABLE tenant_pods (
    tenant_id      VARCHAR(40)  NOT NULL,
    pod_id         VARCHAR(40)  NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    target_pod_id  VARCHAR(40)  NULL,
    updated_at     DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id),
    KEY ix_tenant_pods_pod (pod_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO tenant_pods (tenant_id, pod_id, state, target_pod_id, updated_at)
SELECT tenant_id, 'home', 'ACTIVE', NULL, UTC_TIMESTAMP(3) FROM tenants;
