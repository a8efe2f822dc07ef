-- Hilal schema, version 16: dashboard users have a role (viewer, marketer or admin), which says
-- which API-key scopes their sessions hold. Users created before roles existed could launch and
-- pause campaigns, so they become marketers; new users are given a role explicitly.
ALTER TABLE dashboard_users
    ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'marketer' AFTER email;
