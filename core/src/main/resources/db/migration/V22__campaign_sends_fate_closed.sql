-- A send a worker was sending when it stopped has an unknown fate (UNKNOWN_INFLIGHT): the relay may
-- or may not have taken it. The campaign's marketer decides, per campaign, to send those again
-- (they become PLANNED) or to close them: they stay UNKNOWN_INFLIGHT, closed at this time. Until
-- then the campaign shows them, whatever its status.
ALTER TABLE campaign_sends ADD COLUMN fate_closed_at DATETIME(3) NULL;
