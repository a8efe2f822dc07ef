-- Hilal schema, version 2: trained model artifacts per tenant, the active version of each kind,
-- and on-demand training requests.

-- Every trained artifact is kept with its training window, parameters and offline metrics, so a
-- merchant can compare versions and an operator can roll back.
CREATE TABLE model_versions (
    tenant_id     VARCHAR(40)  NOT NULL,
    kind          VARCHAR(32)  NOT NULL,
    version       INT          NOT NULL,
    trained_at    DATETIME(3)  NOT NULL,
    window_start  DATETIME(3)  NULL,
    window_end    DATETIME(3)  NULL,
    params        MEDIUMTEXT   NULL,
    metrics       MEDIUMTEXT   NULL,
    size_bytes    BIGINT       NOT NULL,
    artifact      LONGBLOB     NOT NULL,
    PRIMARY KEY (tenant_id, kind, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Which version of each kind is served. Switching is one row update: atomic.
CREATE TABLE active_models (
    tenant_id     VARCHAR(40)  NOT NULL,
    kind          VARCHAR(32)  NOT NULL,
    version       INT          NOT NULL,
    activated_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id, kind)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- POST /v1/models/train writes a row here; the worker's training job takes pending rows. The
-- status index serves that cross-tenant queue, the one place a worker looks across tenants.
CREATE TABLE training_requests (
    tenant_id     VARCHAR(40)  NOT NULL,
    request_id    VARCHAR(40)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    requested_at  DATETIME(3)  NOT NULL,
    started_at    DATETIME(3)  NULL,
    finished_at   DATETIME(3)  NULL,
    error         TEXT         NULL,
    PRIMARY KEY (tenant_id, request_id),
    KEY ix_training_requests_status (status, requested_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
