-- Hilal schema, version 11: the ledger lists waiting sends by when they are due, in an index that
-- a send's entry moves in once, not twice.
--
-- ix_campaign_sends_due was (tenant, campaign, run, state, send_at): every state change moved the
-- send's entry in it, PLANNED -> SENDING at the claim and SENDING -> SENT after the relay took it,
-- each a delete-marked entry, a new one and a purge. due_at is when a send may go: its send time
-- while PLANNED (and while SENDING), its next attempt while DEFERRED, NULL once it ended. A claim
-- leaves it alone, so only the end of a send moves the entry. It also keeps a deferred send out
-- of every listing until its next attempt, where listing by state read it every time.
ALTER TABLE campaign_sends ADD COLUMN due_at DATETIME(3) NULL AFTER next_attempt_at;

UPDATE campaign_sends
SET due_at = CASE
        WHEN state IN ('PLANNED', 'SENDING') THEN send_at
        WHEN state = 'DEFERRED' THEN GREATEST(send_at, COALESCE(next_attempt_at, send_at))
    END;

ALTER TABLE campaign_sends
    DROP KEY ix_campaign_sends_due,
    ADD KEY ix_campaign_sends_open (tenant_id, campaign_id, run_id, due_at);
