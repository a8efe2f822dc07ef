-- Hilal schema, version 31: which variant of its offer each send carried.
--
-- A campaign or journey with offer variants chooses one per send among the treated (Thompson
-- sampling; the holdout is decided before, at planning, and never changes share). The choice is
-- recorded on the send's ledger row before the relay sees the email, with the customer's segment
-- and the probability the variant had of being chosen (what the per-variant lift weighs by), so
-- clicks and orders attribute to variants and a resent send keeps its variant.
ALTER TABLE campaign_sends
    ADD COLUMN variant          VARCHAR(32)  NULL,
    ADD COLUMN variant_segment  VARCHAR(64)  NULL,
    ADD COLUMN variant_share    DOUBLE       NULL,
    ADD COLUMN variant_at       DATETIME(3)  NULL;
