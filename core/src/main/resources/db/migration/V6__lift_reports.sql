-- Hilal schema, version 6: lift reports.

-- One row per computation of a campaign's lift report for one window length (days after each
-- customer's planned send). Reports are recomputed daily while the window is open, so the rows of a
-- (campaign, window) are the lift over time; the newest is the current report. The full report is
-- JSON; the headline numbers are columns so a tenant's campaigns can be listed and charted without
-- parsing it. Headline columns are NULL when the report said "not enough data".
CREATE TABLE lift_reports (
    tenant_id                 VARCHAR(40)  NOT NULL,
    campaign_id               VARCHAR(40)  NOT NULL,
    window_days               INT          NOT NULL,
    computed_at               DATETIME(3)  NOT NULL,
    status                    VARCHAR(20)  NOT NULL,
    window_closes_at          DATETIME(3)  NOT NULL,
    treated_customers         BIGINT       NOT NULL,
    holdout_customers         BIGINT       NOT NULL,
    repeat_rate_difference    DOUBLE       NULL,
    repeat_rate_low           DOUBLE       NULL,
    repeat_rate_high          DOUBLE       NULL,
    repeat_rate_p_value       DOUBLE       NULL,
    orders_difference         DOUBLE       NULL,
    orders_low                DOUBLE       NULL,
    orders_high               DOUBLE       NULL,
    orders_p_value            DOUBLE       NULL,
    revenue_difference        DOUBLE       NULL,
    revenue_low               DOUBLE       NULL,
    revenue_high              DOUBLE       NULL,
    revenue_p_value           DOUBLE       NULL,
    incremental_revenue       DOUBLE       NULL,
    incremental_revenue_low   DOUBLE       NULL,
    incremental_revenue_high  DOUBLE       NULL,
    sample_ratio_p_value      DOUBLE       NULL,
    sample_ratio_mismatch     BOOLEAN      NOT NULL,
    report                    MEDIUMTEXT   NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id, window_days, computed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
