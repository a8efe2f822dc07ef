-- Hilal schema, version 8: the rows API reads each customer's recent views, cart adds and ratings
-- on every request. Through (tenant, customer, occurred_at) it had to open every one of a
-- customer's events (hundreds of orders for a wholesale buyer) to find the few of those types;
-- with the type in the index it opens only the matching ones.
CREATE INDEX ix_events_customer_type ON events (tenant_id, customer_id, type, occurred_at);
