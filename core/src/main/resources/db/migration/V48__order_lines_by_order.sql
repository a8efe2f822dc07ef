-- Ingest reads the lines already stored for each order a batch names (an order sent again adds
-- none; a refund without lines refunds what is left of its order): a range of this index per
-- customer and order, not every line of each customer.
CREATE INDEX ix_order_lines_order ON order_lines (tenant_id, customer_id, order_id);
