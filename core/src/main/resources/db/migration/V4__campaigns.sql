-- Hilal schema, version 4: campaigns, their runs, sender identities, tenant calendar dates,
-- idempotency keys of POST requests, and the heartbeats of campaign senders.

-- A campaign's definition (audience, offer, schedule, limits) is one validated JSON document: it
-- is read and written whole, and only the status changes after launch.
CREATE TABLE campaigns (
    tenant_id      VARCHAR(40)   NOT NULL,
    campaign_id    VARCHAR(40)   NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    holdout_share  DOUBLE        NOT NULL,
    salt           VARCHAR(64)   NOT NULL,
    definition     MEDIUMTEXT    NOT NULL,
    created_at     DATETIME(3)   NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    launched_at    DATETIME(3)   NULL,
    PRIMARY KEY (tenant_id, campaign_id),
    KEY ix_campaigns_created (tenant_id, created_at, campaign_id),
    KEY ix_campaigns_status (tenant_id, status, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per launch. The status index serves the senders' cross-tenant look for work, the one
-- place a worker looks across tenants (like training_requests).
CREATE TABLE campaign_runs (
    tenant_id      VARCHAR(40)   NOT NULL,
    campaign_id    VARCHAR(40)   NOT NULL,
    run_id         VARCHAR(40)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    audience_size  INT           NOT NULL,
    holdout_size   INT           NOT NULL,
    planned_at     DATETIME(3)   NOT NULL,
    first_send_at  DATETIME(3)   NULL,
    last_valid_at  DATETIME(3)   NULL,
    finished_at    DATETIME(3)   NULL,
    PRIMARY KEY (tenant_id, campaign_id, run_id),
    KEY ix_campaign_runs_status (status, first_send_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A send held back (frequency cap, quiet hours, relay down) waits for next_attempt_at; send_at
-- stays the planned time, which the lift report measures from.
ALTER TABLE campaign_sends ADD COLUMN next_attempt_at DATETIME(3) NULL AFTER send_at;
ALTER TABLE campaign_sends ADD KEY ix_campaign_sends_sent (tenant_id, sent_at);

-- Who a tenant's campaign mail comes from, and the postal address every message must carry.
CREATE TABLE sender_identities (
    tenant_id       VARCHAR(40)   NOT NULL,
    from_address    VARCHAR(320)  NOT NULL,
    from_name       VARCHAR(200)  NOT NULL,
    reply_to        VARCHAR(320)  NULL,
    postal_address  VARCHAR(500)  NOT NULL,
    website_url     VARCHAR(2048) NULL,
    updated_at      DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Dates a tenant names itself ("founders-day", a local Eid sighting) for campaign anchors.
CREATE TABLE calendar_dates (
    tenant_id   VARCHAR(40)  NOT NULL,
    name        VARCHAR(64)  NOT NULL,
    date        DATE         NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (tenant_id, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The first answer to a POST with an Idempotency-Key, replayed for a retry of the same request.
-- A row without a status is a request still being processed.
CREATE TABLE idempotency_keys (
    tenant_id        VARCHAR(40)   NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    request_hash     CHAR(64)      NOT NULL,
    status           INT           NULL,
    response         MEDIUMTEXT    NULL,
    created_at       DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Each sending process writes a heartbeat; SENDING rows of a process whose heartbeat stopped are
-- what it had in flight when it died.
CREATE TABLE campaign_workers (
    worker_id     VARCHAR(100)  NOT NULL,
    started_at    DATETIME(3)   NOT NULL,
    heartbeat_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (worker_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
