-- Hilal schema, version 26: triggered journeys.
--
-- A journey (abandoned cart, browse abandonment, cross-sell, win-back, restock due) sends through
-- the campaign ledger, so that consent, suppression, quiet hours, unsubscribe links and the
-- frequency cap shared with campaigns all apply unchanged. Each journey has a campaigns row of its
-- own (kind 'journey', same id) holding the offer and limits the sender reads; its entries of one
-- day (or one lapse, one due date) form one run.
ALTER TABLE campaigns ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'campaign';

CREATE TABLE journeys (
    tenant_id    VARCHAR(40)   NOT NULL,
    journey_id   VARCHAR(40)   NOT NULL,
    name         VARCHAR(200)  NOT NULL,
    kind         VARCHAR(32)   NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    salt         VARCHAR(64)   NOT NULL,
    definition   MEDIUMTEXT    NOT NULL,
    created_at   DATETIME(3)   NOT NULL,
    updated_at   DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, journey_id),
    KEY ix_journeys_created (tenant_id, created_at, journey_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per customer entering a journey: when the trigger happened (an order after it is the
-- exit), when the triggering event was received (for the planning latency), and which arm.
CREATE TABLE journey_entries (
    tenant_id     VARCHAR(40)   NOT NULL,
    journey_id    VARCHAR(40)   NOT NULL,
    customer_id   VARCHAR(128)  NOT NULL,
    run_id        VARCHAR(40)   NOT NULL,
    triggered_at  DATETIME(3)   NOT NULL,
    received_at   DATETIME(3)   NOT NULL,
    send_at       DATETIME(3)   NOT NULL,
    held_out      BOOLEAN       NOT NULL,
    planned_at    DATETIME(3)   NOT NULL,
    exited_at     DATETIME(3)   NULL,
    PRIMARY KEY (tenant_id, journey_id, customer_id, run_id),
    KEY ix_journey_entries_customer (tenant_id, customer_id, triggered_at),
    KEY ix_journey_entries_planned (tenant_id, journey_id, planned_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- How far each tenant's events have been read by the journey planner.
CREATE TABLE journey_cursors (
    tenant_id         VARCHAR(40)  NOT NULL,
    received_through  DATETIME(3)  NOT NULL,
    swept_at          DATETIME(3)  NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The planner reads each tenant's events in the order they were received.
CREATE INDEX ix_events_received ON events (tenant_id, received_at);
