-- Hilal schema, version 3: the campaign send ledger and the suppression list.

-- One row per (tenant, campaign, run, customer): the primary key is what makes a second email
-- to the same customer in the same run impossible. A send moves
--   PLANNED -> SENDING -> SENT | FAILED
-- and may instead end HELD_OUT, SUPPRESSED, DEFERRED (back to PLANNED later) or EXPIRED.
-- A SENDING row found after a crash becomes UNKNOWN_INFLIGHT and is not sent again.
CREATE TABLE campaign_sends (
    tenant_id    VARCHAR(40)   NOT NULL,
    campaign_id  VARCHAR(40)   NOT NULL,
    run_id       VARCHAR(40)   NOT NULL,
    customer_id  VARCHAR(128)  NOT NULL,
    state        VARCHAR(20)   NOT NULL,
    message_id   VARCHAR(255)  NOT NULL,
    send_at      DATETIME(3)   NOT NULL,
    valid_until  DATETIME(3)   NOT NULL,
    attempts     INT           NOT NULL,
    reason       VARCHAR(500)  NULL,
    worker       VARCHAR(100)  NULL,
    updated_at   DATETIME(3)   NOT NULL,
    sent_at      DATETIME(3)   NULL,
    PRIMARY KEY (tenant_id, campaign_id, run_id, customer_id),
    KEY ix_campaign_sends_due (tenant_id, campaign_id, run_id, state, send_at),
    KEY ix_campaign_sends_customer (tenant_id, customer_id, sent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Addresses no campaign may email: unsubscribes, bounces, complaints, operator entries.
CREATE TABLE suppressions (
    tenant_id   VARCHAR(40)   NOT NULL,
    email       VARCHAR(320)  NOT NULL,
    reason      VARCHAR(32)   NOT NULL,
    created_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
