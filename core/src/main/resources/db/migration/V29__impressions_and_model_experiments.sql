-- Online evaluation: model experiments, the impressions served to their customers, and the clicks
-- and orders attributed to those impressions.

-- A tenant's experiment between two "Picked for you" models (two versions, two kinds, or a model
-- and popularity). At most one runs per tenant at a time; a stopped one keeps its report.
CREATE TABLE model_experiments (
    tenant_id          VARCHAR(40)  NOT NULL,
    experiment_id      VARCHAR(40)  NOT NULL,
    name               VARCHAR(200) NOT NULL,
    mode               VARCHAR(16)  NOT NULL,
    arm_a_kind         VARCHAR(32)  NOT NULL,
    arm_a_version      INT          NULL,
    arm_b_kind         VARCHAR(32)  NOT NULL,
    arm_b_version      INT          NULL,
    planned_customers  INT          NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    created_at         DATETIME(3)  NOT NULL,
    stopped_at         DATETIME(3)  NULL,
    PRIMARY KEY (tenant_id, experiment_id),
    KEY ix_model_experiments_status (tenant_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per response served to a customer in a running experiment (other responses carry an
-- impression id that is checked without being stored). For interleaving, the served products and
-- the team (A or B) that contributed each, so a click can be credited.
CREATE TABLE impressions (
    tenant_id      VARCHAR(40)  NOT NULL,
    impression_id  VARCHAR(40)  NOT NULL,
    experiment_id  VARCHAR(40)  NOT NULL,
    arm            CHAR(1)      NOT NULL,
    customer_id    VARCHAR(128) NOT NULL,
    served_at      DATETIME(3)  NOT NULL,
    products       TEXT         NULL,
    teams          VARCHAR(255) NULL,
    PRIMARY KEY (tenant_id, impression_id),
    KEY ix_impressions_experiment (tenant_id, experiment_id, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Clicks and orders that named an experiment's impression, written in the same transaction as
-- their event (one row per event: a replayed event is stored once).
CREATE TABLE impression_events (
    tenant_id      VARCHAR(40)  NOT NULL,
    message_id     VARCHAR(100) NOT NULL,
    impression_id  VARCHAR(40)  NOT NULL,
    experiment_id  VARCHAR(40)  NOT NULL,
    arm            CHAR(1)      NOT NULL,
    customer_id    VARCHAR(128) NOT NULL,
    type           VARCHAR(16)  NOT NULL,
    product_id     VARCHAR(128) NULL,
    order_id       VARCHAR(128) NULL,
    team           CHAR(1)      NULL,
    occurred_at    DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id, message_id),
    KEY ix_impression_events_experiment (tenant_id, experiment_id, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
