-- Late data for lift reports: when each order line reached the database, so a FINAL report can be
-- recomputed when purchases for its window arrive after it was computed; and the watermarks each
-- stored report saw (newest purchase received, newest ledger change), to compare against.
ALTER TABLE order_lines
    ADD COLUMN received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    ADD KEY ix_order_lines_received (tenant_id, customer_id, received_at);

ALTER TABLE lift_reports
    ADD COLUMN first_send_at DATETIME(3) NULL,
    ADD COLUMN data_received_through DATETIME(3) NULL,
    ADD COLUMN sends_updated_through DATETIME(3) NULL;
