-- Hilal schema, version 9: every rows request needs the customer's signals (purchases since the
-- model, views, cart, ratings), and reading them costs two index range scans and a union on the
-- database. Ingest now bumps this counter in the same transaction as a customer's new events, so a
-- service instance can keep a customer's signals and re-read them only when the counter (one
-- primary-key lookup) has moved.
ALTER TABLE customers ADD COLUMN signals_version BIGINT NOT NULL DEFAULT 0;
