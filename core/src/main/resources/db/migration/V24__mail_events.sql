-- Hilal schema, version 24: bounces and complaints.
--
-- One row per notification: from a relay's webhook (POST /v1/mail-events) or from the relay's own
-- permanent refusal of a recipient while sending. A permanent bounce or a complaint also puts the
-- address on the suppression list (in the same transaction). event_id is the relay's id of the
-- notification when it gave one, so a webhook delivered twice is recorded once; campaign_id,
-- run_id and customer_id are filled when the notification names a message Hilal sent.
CREATE TABLE mail_events (
    tenant_id    VARCHAR(40)   NOT NULL,
    event_id     VARCHAR(100)  NOT NULL,
    kind         VARCHAR(16)   NOT NULL,
    permanent    BOOLEAN       NOT NULL,
    email        VARCHAR(320)  NOT NULL,
    campaign_id  VARCHAR(40)   NULL,
    run_id       VARCHAR(40)   NULL,
    customer_id  VARCHAR(128)  NULL,
    message_id   VARCHAR(255)  NULL,
    source       VARCHAR(16)   NOT NULL,
    detail       VARCHAR(500)  NULL,
    occurred_at  DATETIME(3)   NOT NULL,
    received_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (tenant_id, event_id),
    KEY ix_mail_events_campaign (tenant_id, campaign_id, kind),
    KEY ix_mail_events_email (tenant_id, email, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
