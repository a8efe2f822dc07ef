-- Serving reads each tenant's newest order lines since its model's training (LiveSales), and the
-- best sellers of a tenant without a model: a range of this index, not a scan of the tenant.
CREATE INDEX ix_order_lines_occurred ON order_lines (tenant_id, occurred_at);
