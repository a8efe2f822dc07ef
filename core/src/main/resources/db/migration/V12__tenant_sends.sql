-- Hilal schema, version 12: a tenant's sent emails counted per quarter hour, for its daily cap.
--
-- The cap counted SENT rows through ix_campaign_sends_sent (tenant_id, sent_at), an index every
-- send's SENT mark changed: one more index entry moved (and purged) per email, for a count read
-- once per listing. A counter per quarter hour is moved once per sending step instead. Quarter
-- hours because a tenant's day starts at its local midnight, and every time zone's offset from
-- UTC is a whole number of quarter hours.
CREATE TABLE tenant_sends (
    tenant_id      VARCHAR(40)  NOT NULL,
    quarter_start  DATETIME(3)  NOT NULL,
    sends          BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id, quarter_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The last two days' sends: no tenant's day started earlier.
INSERT INTO tenant_sends (tenant_id, quarter_start, sends)
SELECT tenant_id, quarter_start, COUNT(*)
FROM (
    SELECT tenant_id,
           TIMESTAMPADD(MINUTE, (MINUTE(sent_at) DIV 15) * 15,
                        CAST(DATE_FORMAT(sent_at, '%Y-%m-%d %H:00:00') AS DATETIME)) AS quarter_start
    FROM campaign_sends
    WHERE state = 'SENT' AND sent_at >= UTC_TIMESTAMP() - INTERVAL 2 DAY
) sent
GROUP BY tenant_id, quarter_start;

ALTER TABLE campaign_sends DROP KEY ix_campaign_sends_sent;
