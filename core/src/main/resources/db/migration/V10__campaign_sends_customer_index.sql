-- Hilal schema, version 10: the ledger's per-customer index loses sent_at.
--
-- The frequency cap reads a customer's recent sends by (tenant_id, customer_id) and filters on
-- COALESCE(sent_at, updated_at), which no index serves; sent_at in this index only made every
-- SENT mark move the row's entry in it, one more index change (and purge) per email.
ALTER TABLE campaign_sends
    DROP KEY ix_campaign_sends_customer,
    ADD KEY ix_campaign_sends_customer (tenant_id, customer_id);
